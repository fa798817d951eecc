extension APIKey {
    /// The schema API keys gained after `core.0002_api_keys`: the email that identifies the person a
    /// key belongs to, unique among active keys (`''` when the key has none); the identity source a
    /// provisioner key pushes into (`''` for other roles).
    public static let migrations = [
        Migration("core.0004_api_key_email", [
            "ALTER TABLE api_keys ADD COLUMN email TEXT NOT NULL DEFAULT ''",
            "CREATE UNIQUE INDEX api_keys_active_email ON api_keys (email) WHERE status = 'ACTIVE' AND email <> ''",
        ]),
        Migration("core.0005_api_key_identity_source", [
            "ALTER TABLE api_keys ADD COLUMN identity_source TEXT NOT NULL DEFAULT ''",
        ]),
    ]
}
