import WardenCore

extension AccessProfile {
    /// The access profiles table; `groups` is a JSON array of display names.
    static let migrations = [
        Migration("lifecycle.access_profiles.0001_access_profiles", [
            """
            CREATE TABLE lcm_access_profiles (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL,
                connector TEXT NOT NULL,
                groups_json TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                updated_at {bigint} NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
        ]),
    ]
}
