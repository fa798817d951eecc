import WardenCore

extension JobEvent {
    /// The integration jobs table; its indexes serve the default order and the common filters.
    static let migrations = [
        Migration("activity_log.0003_job_events", [
            """
            CREATE TABLE lcm_job_events (
                seq {serial},
                job_id TEXT NOT NULL UNIQUE,
                policy_task TEXT NOT NULL,
                action_name TEXT NOT NULL,
                action_type TEXT NOT NULL,
                state TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                workflow_name TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                identity_name TEXT NOT NULL,
                extraction_event TEXT NOT NULL,
                extraction_event_type TEXT NOT NULL,
                any_changes {bool} NOT NULL,
                events_created {bigint} NOT NULL,
                event_source TEXT NOT NULL,
                event_source_id TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                started_at {bigint},
                completed_at {bigint},
                received_response_at TEXT NOT NULL,
                job_request TEXT,
                job_result TEXT
            )
            """,
            "CREATE INDEX lcm_job_events_created ON lcm_job_events (created_at, seq)",
            "CREATE INDEX lcm_job_events_state ON lcm_job_events (state, created_at, seq)",
            "CREATE INDEX lcm_job_events_task ON lcm_job_events (policy_task, action_name)",
        ]),
    ]
}
