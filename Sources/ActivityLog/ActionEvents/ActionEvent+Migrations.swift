import WardenCore

extension ActionEvent {
    /// The action events table; its indexes serve the default order and the equality filters.
    static let migrations = [
        Migration("activity_log.0001_action_events", [
            """
            CREATE TABLE lcm_action_events (
                seq {serial},
                policy_task TEXT NOT NULL,
                action_name TEXT NOT NULL,
                action_type TEXT NOT NULL,
                state TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                policy_version_number {bigint} NOT NULL,
                workflow_name TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                identity_name TEXT NOT NULL,
                extraction_event TEXT NOT NULL,
                any_changes {bool} NOT NULL,
                jobs_started {bigint} NOT NULL,
                started_at {bigint} NOT NULL,
                completed_at {bigint},
                message TEXT NOT NULL,
                UNIQUE (policy_task, action_name)
            )
            """,
            "CREATE INDEX lcm_action_events_started ON lcm_action_events (started_at, seq)",
            "CREATE INDEX lcm_action_events_state ON lcm_action_events (state, started_at, seq)",
            "CREATE INDEX lcm_action_events_type ON lcm_action_events (action_type, started_at, seq)",
            "CREATE INDEX lcm_action_events_policy ON lcm_action_events (policy_id, started_at, seq)",
            "CREATE INDEX lcm_action_events_identity ON lcm_action_events (identity_id)",
            "CREATE INDEX lcm_action_events_extraction ON lcm_action_events (extraction_event)",
        ]),
    ]
}
