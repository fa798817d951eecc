import WardenCore

extension SmartActionDefinition {
    /// The definitions table; listed in creation order, filtered by workflow.
    static let migrations = [
        Migration("access_reviews.0001_smart_action_definitions", [
            """
            CREATE TABLE awf_smart_action_definitions (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                workflow_id TEXT NOT NULL,
                filter TEXT NOT NULL,
                mutable_fields TEXT NOT NULL,
                mutable_filter TEXT NOT NULL,
                apply_to_all_rows {bool} NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                updated_at {bigint} NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX awf_smart_action_definitions_workflow ON awf_smart_action_definitions (workflow_id, seq)",
        ]),
    ]
}
