import Crypto
import Foundation
import Hummingbird
import SCIMFilter
import WardenCore

/// Keeps web sessions in Warden's database, so they outlive a restart and are shared by every
/// instance. A row is keyed by the SHA-256 of the session id: whoever reads the table cannot use it.
/// Expired rows read as absent and are deleted as new sessions are made.
public struct DatabaseSessionDriver: PersistDriver {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The schema: one row per session.
    public static let migrations = [
        Migration("web.0001_sessions", [
            "CREATE TABLE web_sessions (id_hash TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at {bigint} NOT NULL)",
            "CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)",
        ]),
    ]

    public func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard try await write(key, value, expires: expires, onConflict: "DO NOTHING") else { throw PersistError.duplicate }
    }

    public func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let keepsExpiry = expires == nil ? "" : ", expires_at = excluded.expires_at"
        try await write(key, value, expires: expires, onConflict: "DO UPDATE SET value = excluded.value\(keepsExpiry)")
    }

    /// Inserts the session, or does `onConflict` when its id is taken, after deleting expired ones;
    /// whether a row was written.
    @discardableResult
    private func write(_ key: String, _ value: some Encodable, expires: Duration?, onConflict: String) async throws -> Bool {
        let text = try encode(value)
        let now = Timestamp.now.nanosecondsSinceEpoch
        let database = self.database
        return try await database.transaction { connection in
            var sweep = database.statement("DELETE FROM web_sessions WHERE expires_at <= ")
            sweep.append(bind: now)
            try await connection.execute(sweep)
            var insert = database.statement("INSERT INTO web_sessions (id_hash, value, expires_at) VALUES (")
            insert.append(binds: [Self.hash(key), text, Self.expiry(expires, from: now)])
            insert.append(") ON CONFLICT (id_hash) \(onConflict) RETURNING id_hash")
            return try await connection.first(insert) != nil
        }
    }

    public func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    public func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = Timestamp.now.nanosecondsSinceEpoch
        var select = database.statement("SELECT value, expires_at FROM web_sessions WHERE id_hash = ")
        select.append(bind: Self.hash(key))
        select.append(" AND expires_at > ")
        select.append(bind: now)
        guard let row = try await database.first(select) else { return nil }
        var reader = row.reader()
        let text = try reader.text()
        let expiresAt = try reader.integer()
        do {
            return (try JSONDecoder().decode(type, from: Data(text.utf8)), .nanoseconds(expiresAt - now))
        } catch {
            throw PersistError.invalidConversion
        }
    }

    public func remove(key: String) async throws {
        var statement = database.statement("DELETE FROM web_sessions WHERE id_hash = ")
        statement.append(bind: Self.hash(key))
        let delete = statement
        try await database.transaction { try await $0.execute(delete) }
    }

    private func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// Sessions without an expiry still end: after a day.
    private static func expiry(_ expires: Duration?, from now: Int64) -> Int64 {
        let lifetime = expires ?? .seconds(24 * 60 * 60)
        return now + lifetime.components.seconds * 1_000_000_000 + lifetime.components.attoseconds / 1_000_000_000
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
