import Foundation
import SCIMFilter

extension Database {
    /// The schema every Warden database has, whatever features are on.
    public static let coreMigrations: [Migration] = [
        Migration("core.0001_settings", [
            "CREATE TABLE warden_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        Migration("core.0002_api_keys", [
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at {bigint} NOT NULL,
                created_by TEXT NOT NULL,
                last_used_at {bigint},
                revoked_at {bigint}
            )
            """,
            "CREATE INDEX api_keys_created_at ON api_keys (created_at, id)",
            "CREATE INDEX api_keys_name ON api_keys (name, id)",
        ]),
    ]

    /// Applies the migrations not yet applied, in order, each in its own transaction, and returns their ids.
    ///
    /// Safe to run from several processes at once: on PostgreSQL an advisory lock serialises them,
    /// on SQLite the write lock does.
    @discardableResult
    public func migrate(_ migrations: [Migration] = Database.coreMigrations) async throws -> [String] {
        try await transaction { sql in
            try await sql.execute(SQLText(self.kind, "CREATE TABLE IF NOT EXISTS warden_migrations (id TEXT PRIMARY KEY, applied_at \(self.kind == .postgres ? "BIGINT" : "INTEGER") NOT NULL)"))
        }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try await transaction { sql in
                if self.kind == .postgres {
                    try await sql.execute(SQLText(.postgres, "SELECT pg_advisory_xact_lock(7271)"))
                }
                var check = SQLText(self.kind, "SELECT id FROM warden_migrations WHERE id = ")
                check.append(bind: migration.id)
                if try await sql.first(check) != nil { return false }
                for statement in migration.sql(for: self.kind) {
                    try await sql.execute(SQLText(self.kind, statement))
                }
                var record = SQLText(self.kind, "INSERT INTO warden_migrations (id, applied_at) VALUES (")
                record.append(bind: migration.id)
                record.append(", ")
                record.append(bind: Timestamp.now.nanosecondsSinceEpoch)
                record.append(")")
                try await sql.execute(record)
                return true
            }
            if didApply { applied.append(migration.id) }
        }
        return applied
    }

    /// A setting's value, created by `initial` the first time it is asked for (first writer wins).
    public func setting(_ key: String, initial: @Sendable () -> String) async throws -> String {
        let candidate = initial()
        return try await transaction { sql in
            var insert = SQLText(self.kind, "INSERT INTO warden_settings (key, value) VALUES (")
            insert.append(bind: key)
            insert.append(", ")
            insert.append(bind: candidate)
            insert.append(") ON CONFLICT (key) DO NOTHING")
            try await sql.execute(insert)
            var select = SQLText(self.kind, "SELECT value FROM warden_settings WHERE key = ")
            select.append(bind: key)
            guard let row = try await sql.first(select) else {
                throw DatabaseError.migration("setting \(key) could not be stored")
            }
            var reader = row.reader()
            return try reader.text()
        }
    }
}
