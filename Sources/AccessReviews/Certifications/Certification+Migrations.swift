import WardenCore

extension Certification {
    /// Certifications, their result rows, the types of the rows' node properties, and every change
    /// made to a row (its action log).
    ///
    /// Rows refer to their certification by its `seq` (`certification_key`), which keeps their keys
    /// and indexes small. `source` and `destination` are JSON objects (jsonb on PostgreSQL); the
    /// permissions and reviewers are JSON array text. `version` counts changes to a row, so an undo
    /// can tell whether anyone changed it since.
    static let migrations = [
        Migration("access_reviews.0003_certifications", [
            """
            CREATE TABLE awf_certifications (
                seq {serial},
                certification_id TEXT NOT NULL UNIQUE,
                workflow_id TEXT NOT NULL,
                name TEXT NOT NULL,
                notes TEXT NOT NULL,
                due_date {bigint},
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                results_updated_at {bigint},
                total_result_count {bigint} NOT NULL
            )
            """,
            "CREATE INDEX awf_certifications_workflow ON awf_certifications (workflow_id, created_at, seq)",
            "CREATE INDEX awf_certifications_created ON awf_certifications (created_at, seq)",
            """
            CREATE TABLE awf_results (
                row_key {serial},
                certification_key {bigint} NOT NULL,
                result_id {bigint} NOT NULL,
                source {json} NOT NULL,
                destination {json} NOT NULL,
                abstract_permissions TEXT NOT NULL,
                concrete_permissions TEXT NOT NULL,
                decision TEXT NOT NULL,
                notes TEXT NOT NULL,
                reviewers TEXT NOT NULL,
                signed_off_state TEXT NOT NULL,
                signed_off_at {bigint},
                signed_off_by TEXT,
                updated_at {bigint},
                updated_by TEXT,
                version {bigint} NOT NULL,
                UNIQUE (certification_key, result_id)
            )
            """,
            "CREATE INDEX awf_results_decision ON awf_results (certification_key, decision)",
            """
            CREATE TABLE awf_result_properties (
                certification_key {bigint} NOT NULL,
                side TEXT NOT NULL,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                PRIMARY KEY (certification_key, side, name)
            )
            """,
        ]),
    ]
}
