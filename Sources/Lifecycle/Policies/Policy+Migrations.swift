import WardenCore

extension Policy {
    /// Policies, the sources each watches (to find a source's policies), and their versions with the
    /// config as JSON text.
    static let migrations = [
        Migration("lifecycle.policies.0001_policies", [
            """
            CREATE TABLE lifecycle_policies (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL,
                state TEXT NOT NULL,
                datasource_ids TEXT NOT NULL,
                current_version_number {bigint} NOT NULL,
                draft_version_number {bigint} NOT NULL,
                retry_count {bigint} NOT NULL,
                no_retry_for_failed_workflows {bool} NOT NULL,
                max_changes_absolute {bigint} NOT NULL,
                max_changes_percent {bigint} NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                updated_at {bigint} NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE lifecycle_policy_sources (
                source_id TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                PRIMARY KEY (source_id, policy_id)
            )
            """,
            """
            CREATE TABLE lifecycle_policy_versions (
                policy_id TEXT NOT NULL,
                version_number {bigint} NOT NULL,
                state TEXT NOT NULL,
                config TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                updated_at {bigint} NOT NULL,
                updated_by TEXT NOT NULL,
                published_at {bigint},
                published_by TEXT NOT NULL,
                PRIMARY KEY (policy_id, version_number)
            )
            """,
        ]),
    ]
}
