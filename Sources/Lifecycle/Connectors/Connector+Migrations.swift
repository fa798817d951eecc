import WardenCore

extension Connector {
    /// The connectors table: settings in the clear as JSON, the secrets as one sealed value.
    static let migrations = [
        Migration("lifecycle.connectors.0001_connectors", [
            """
            CREATE TABLE lcm_connectors (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                settings TEXT NOT NULL,
                secrets TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                updated_at {bigint} NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
        ]),
    ]
}
