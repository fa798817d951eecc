import WardenCore

extension LifecycleEvent {
    /// The lifecycle events table; its indexes serve the default order and the common filters.
    static let migrations = [
        Migration("activity_log.0004_events", [
            """
            CREATE TABLE lcm_events (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                timestamp {bigint} NOT NULL,
                event_type TEXT NOT NULL,
                success {bool} NOT NULL,
                message TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                identity_entity_type TEXT NOT NULL,
                identity_entity_id TEXT NOT NULL,
                identity_entity_name TEXT NOT NULL,
                data_source_id TEXT NOT NULL,
                datasource_name TEXT NOT NULL,
                provider_id TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                entity_name TEXT NOT NULL,
                relationship_entity_type TEXT NOT NULL,
                relationship_entity_id TEXT NOT NULL,
                relationship_entity_name TEXT NOT NULL,
                relationship_assigned_to_entity_type TEXT NOT NULL,
                relationship_assigned_to_entity_id TEXT NOT NULL,
                relationship_assigned_to_entity_name TEXT NOT NULL,
                extraction_event TEXT NOT NULL,
                policy_task TEXT NOT NULL,
                job_id TEXT NOT NULL,
                event_source TEXT NOT NULL,
                event_source_id TEXT NOT NULL,
                workflow_name TEXT NOT NULL,
                policy_name TEXT NOT NULL
            )
            """,
            "CREATE INDEX lcm_events_time ON lcm_events (timestamp, seq)",
            "CREATE INDEX lcm_events_type ON lcm_events (event_type, timestamp, seq)",
            "CREATE INDEX lcm_events_task ON lcm_events (policy_task)",
            "CREATE INDEX lcm_events_job ON lcm_events (job_id)",
        ]),
    ]
}
