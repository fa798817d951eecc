import WardenCore

extension SCIMResource {
    /// The Users and Groups pushed through `/scim/v2`, one row each, unique by the type's unique
    /// attribute within a source.
    static let migrations = [
        Migration("lifecycle.scim.0001_resources", [
            """
            CREATE TABLE lcm_scim_resources (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                source_id TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                unique_key TEXT NOT NULL,
                attributes TEXT NOT NULL,
                version {bigint} NOT NULL,
                created_at {bigint} NOT NULL,
                updated_at {bigint} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX lcm_scim_resources_unique ON lcm_scim_resources (source_id, resource_type, unique_key)",
        ]),
    ]
}
