import WardenCore

extension Remediation {
    /// The remediation a review workflow names, the queue of signed-off rejections, and the task a
    /// row's log entry links to.
    static let migrations = [
        Migration("access_reviews.0007_remediations", [
            "ALTER TABLE awf_workflows ADD COLUMN remediation_policy_id TEXT",
            "ALTER TABLE awf_workflows ADD COLUMN remediation_workflow TEXT",
            "ALTER TABLE awf_result_log ADD COLUMN task_id TEXT",
            """
            CREATE TABLE awf_remediations (
                seq {serial},
                row_key {bigint} NOT NULL,
                policy_id TEXT NOT NULL,
                workflow TEXT NOT NULL,
                state TEXT NOT NULL,
                task_id TEXT,
                created_at {bigint} NOT NULL,
                updated_at {bigint} NOT NULL
            )
            """,
            "CREATE INDEX awf_remediations_state ON awf_remediations (state, seq)",
            "CREATE INDEX awf_remediations_row ON awf_remediations (row_key)",
            "CREATE INDEX awf_remediations_task ON awf_remediations (task_id)",
        ]),
    ]
}
