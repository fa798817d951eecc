import WardenCore

extension Identity {
    /// Identity sources, the attribute names their imports held, their identities, extraction events,
    /// each identity's changes, and the staging table an import is compared from.
    static let migrations = [
        Migration("lifecycle.identities.0001_sources_identities_changes", [
            """
            CREATE TABLE lcm_identity_sources (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                id_attribute TEXT NOT NULL,
                name_attribute TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE lcm_identities (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                source_id TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                name TEXT NOT NULL,
                active {bool} NOT NULL,
                attributes TEXT NOT NULL,
                attributes_hash {bigint} NOT NULL,
                first_seen_at {bigint} NOT NULL,
                updated_at {bigint} NOT NULL,
                left_at {bigint},
                last_extraction_event TEXT NOT NULL
            )
            """,
            "CREATE INDEX lcm_identities_source ON lcm_identities (source_id, active)",
            // Covers what an import compares for every staged identity, so the comparison reads this
            // index alone instead of seeking each identity's row.
            "CREATE INDEX lcm_identities_compare ON lcm_identities (id, active, attributes_hash)",
            "CREATE INDEX lcm_identities_updated ON lcm_identities (updated_at, seq)",
            "CREATE INDEX lcm_identities_entity ON lcm_identities (entity_id)",
            """
            CREATE TABLE lcm_extraction_events (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                source_id TEXT NOT NULL,
                mode TEXT NOT NULL,
                state TEXT NOT NULL,
                started_at {bigint} NOT NULL,
                completed_at {bigint},
                identities_read {bigint} NOT NULL,
                joined {bigint} NOT NULL,
                changed {bigint} NOT NULL,
                left_count {bigint} NOT NULL,
                unchanged {bigint} NOT NULL,
                tasks_created {bigint} NOT NULL,
                tasks_blocked {bigint} NOT NULL,
                message TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX lcm_extraction_events_started ON lcm_extraction_events (started_at, seq)",
            """
            CREATE TABLE lcm_identity_changes (
                seq {serial},
                extraction_event TEXT NOT NULL,
                source_id TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                changes TEXT NOT NULL,
                at {bigint} NOT NULL
            )
            """,
            "CREATE INDEX lcm_identity_changes_identity ON lcm_identity_changes (identity_id, seq)",
            "CREATE INDEX lcm_identity_changes_extraction ON lcm_identity_changes (extraction_event, seq)",
            """
            CREATE TABLE lcm_source_attributes (
                source_id TEXT NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (source_id, name)
            )
            """,
            """
            CREATE TABLE lcm_identity_staging (
                extraction_event TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                name TEXT NOT NULL,
                attributes TEXT NOT NULL,
                attributes_hash {bigint} NOT NULL,
                PRIMARY KEY (extraction_event, identity_id)
            )
            """,
        ]),
    ]
}
