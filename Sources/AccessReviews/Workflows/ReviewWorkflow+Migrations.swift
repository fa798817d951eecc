import WardenCore

extension ReviewWorkflow {
    /// The review workflows table.
    static let migrations = [
        Migration("access_reviews.0002_workflows", [
            """
            CREATE TABLE awf_workflows (
                seq {serial},
                workflow_id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                notes TEXT NOT NULL,
                owner TEXT,
                creator TEXT NOT NULL,
                created_at {bigint} NOT NULL
            )
            """,
            "CREATE INDEX awf_workflows_created ON awf_workflows (created_at, seq)",
        ]),
    ]
}
