import Crypto
import Foundation
import SCIMFilter
import Synchronization

/// Creates, lists, revokes and checks API keys.
///
/// A key reads `wdn_<id>_<secret>`; the database keeps the id and the SHA-256 of the secret, and a
/// presented key is compared with that hash in constant time. Checked keys are remembered for a few
/// seconds so an authenticated request costs no database round trip; a revocation made through this
/// store takes effect at once, one made by another instance within `cacheLifetime`.
public final class APIKeyStore: Sendable {
    public static let cacheLifetime: Int64 = 5_000_000_000
    private static let lastUsedResolution: Int64 = 60_000_000_000

    private let database: Database
    private let cache = Mutex<[String: CachedKey]>([:])

    private struct CachedKey {
        var key: APIKey
        var secretHash: Data
        var checkedAt: Int64
    }

    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, name, role, email, identity_source, status, created_at, created_by, last_used_at"
    static let columnCount = 9

    /// Creates a key and returns it with its full secret in `accessKey`, the only time it is shown.
    ///
    /// `email` names the person the key belongs to (see `APIKey.normalizedEmail`); a reviewer's key
    /// needs one, and an email another active key has is a 409: revoke that key first. `name`
    /// (trimmed, at most 200 characters) is the email when empty. A provisioner's key needs the
    /// `identitySource` (id or name) it pushes into, and only a provisioner's key may have one.
    public func create(name: String, role: Role, email: String = "", identitySource: String = "", createdBy: String) async throws -> APIKey {
        let email = try APIKey.normalizedEmail(email)
        if role == .reviewer, email.isEmpty {
            throw APIError.invalidArgument(
                "email", "a reviewer's key needs an email: the result rows whose reviewers include that email are the reviewer's")
        }
        let identitySource = identitySource.trimmingCharacters(in: .whitespaces)
        if role == .provisioner, identitySource.isEmpty {
            throw APIError.invalidArgument(
                "identity_source", "a provisioner's key needs an identity_source: the identity source (id or name) its SCIM pushes go into")
        }
        if role != .provisioner, !identitySource.isEmpty {
            throw APIError.invalidArgument("identity_source", "only a provisioner's key pushes into an identity source; leave identity_source out")
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let name = trimmed.isEmpty ? email : trimmed
        guard !name.isEmpty, name.count <= 200 else {
            throw APIError.invalidArgument("name", "name must be 1 to 200 characters (it may be left out when email is given)")
        }
        return try await database.transaction { sql in
            try await self.lockKeys(sql)
            if !email.isEmpty {
                var taken = self.database.statement("SELECT id, name FROM api_keys WHERE status = 'ACTIVE' AND email = ")
                taken.append(bind: email)
                if var reader = try await sql.first(taken)?.reader() {
                    let id = try reader.text()
                    throw APIError(
                        .alreadyExists, "the active API key \"\(try reader.text())\" (\(id)) already has the email \(email); an email identifies one person",
                        resolution: "Revoke that key first to replace it, or use the email of the person this key is for.")
                }
            }
            return try await self.insert(name: name, role: role, email: email, identitySource: identitySource, createdBy: createdBy, sql)
        }
    }

    /// On PostgreSQL, serialises the transactions that create keys (SQLite has one writer anyway).
    private func lockKeys(_ sql: DatabaseConnection) async throws {
        if database.kind == .postgres {
            try await sql.execute(SQLText(.postgres, "SELECT pg_advisory_xact_lock(7272)"))
        }
    }

    /// Creates the first admin key when the database has no key at all; returns nil otherwise.
    public func createInitialAdminKey() async throws -> APIKey? {
        try await database.transaction { sql in
            try await self.lockKeys(sql)
            guard try await sql.first(SQLText(self.database.kind, "SELECT id FROM api_keys LIMIT 1")) == nil else { return nil }
            return try await self.insert(name: "initial-admin", role: .admin, email: "", createdBy: "warden", sql)
        }
    }

    private func insert(name: String, role: Role, email: String, identitySource: String = "", createdBy: String, _ sql: DatabaseConnection) async throws -> APIKey {
        let id = Self.randomHex(bytes: 16)
        let secret = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URLEncoded()
        let key = APIKey(
            id: id, name: name, role: role, email: email, identitySource: identitySource, status: .active, createdAt: .now, createdBy: createdBy,
            lastAccessAt: nil, accessKey: "wdn_\(id)_\(secret)"
        )
        var insert = database.statement("INSERT INTO api_keys (id, name, role, email, identity_source, secret_hash, status, created_at, created_by) VALUES (")
        insert.append(binds: [id, name, role.rawValue, email, identitySource, Self.hash(secret).hexString, key.status.rawValue, key.createdAt.nanosecondsSinceEpoch, createdBy])
        insert.append(")")
        try await sql.execute(insert)
        return key
    }

    /// One page of keys.
    public func list(_ request: ListRequest, signer: PageTokenSigner) async throws -> ListPage<APIKey> {
        var select = database.statement("SELECT \(Self.columns)\(request.sortKeyColumns) FROM api_keys")
        try request.appendClauses(to: &select)
        let rows = try await database.rows(select)
        return try request.page(rows, signer: signer, decode: Self.decode)
    }

    /// The key with this id.
    public func get(id: String) async throws -> APIKey {
        var select = database.statement("SELECT \(Self.columns) FROM api_keys WHERE id = ")
        select.append(bind: id)
        guard let row = try await database.first(select) else {
            throw APIError.notFound("API key \(id)")
        }
        return try Self.decode(row)
    }

    /// Revokes a key; it stops working at once on this instance. Revoking a revoked key is a no-op.
    public func revoke(id: String) async throws -> APIKey {
        var update = database.statement("UPDATE api_keys SET status = 'REVOKED', revoked_at = ")
        update.append(bind: Timestamp.now.nanosecondsSinceEpoch)
        update.append(" WHERE status = 'ACTIVE' AND id = ")
        update.append(bind: id)
        try await database.transaction { [update] in try await $0.execute(update) }
        _ = cache.withLock { $0.removeValue(forKey: id) }
        return try await get(id: id)
    }

    /// The active key a presented secret belongs to, or nil when it is unknown, malformed or revoked.
    public func authenticate(_ presented: String) async throws -> APIKey? {
        let parts = presented.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "wdn", parts[1].count == 32 else { return nil }
        let id = String(parts[1])
        let presentedHash = Self.hash(String(parts[2]))
        let now = Timestamp.now.nanosecondsSinceEpoch
        if let cached = cache.withLock({ $0[id] }), now - cached.checkedAt < Self.cacheLifetime {
            return constantTimeEquals(cached.secretHash, presentedHash) ? cached.key : nil
        }
        var select = database.statement("SELECT \(Self.columns), secret_hash FROM api_keys WHERE id = ")
        select.append(bind: id)
        guard let row = try await database.first(select) else { return nil }
        var key = try Self.decode(row)
        var hashReader = row.reader(from: Self.columnCount)
        guard let storedHash = Data(hexString: try hashReader.text()),
              constantTimeEquals(storedHash, presentedHash), key.status == .active
        else {
            _ = cache.withLock { $0.removeValue(forKey: id) }
            return nil
        }
        if (key.lastAccessAt?.nanosecondsSinceEpoch ?? 0) < now - Self.lastUsedResolution {
            var touch = database.statement("UPDATE api_keys SET last_used_at = ")
            touch.append(bind: now)
            touch.append(" WHERE id = ")
            touch.append(bind: id)
            try await database.transaction { [touch] in try await $0.execute(touch) }
            key.lastAccessAt = Timestamp(nanosecondsSinceEpoch: now)
        }
        cache.withLock { $0[id] = CachedKey(key: key, secretHash: storedHash, checkedAt: now) }
        return key
    }

    static func decode(_ row: DatabaseRow) throws -> APIKey {
        var reader = row.reader()
        return APIKey(
            id: try reader.text(), name: try reader.text(), role: Role(name: try reader.text()) ?? .viewer, email: try reader.text(),
            identitySource: try reader.text(), status: APIKey.Status(name: try reader.text()) ?? .revoked, createdAt: try reader.timestamp(),
            createdBy: try reader.text(), lastAccessAt: try reader.optionalTimestamp()
        )
    }

    static func hash(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }).hexString
    }
}

extension Data {
    /// Lower-case hexadecimal.
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }

    /// Decodes lower- or upper-case hexadecimal.
    public init?(hexString: String) {
        guard hexString.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hexString.count / 2)
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
