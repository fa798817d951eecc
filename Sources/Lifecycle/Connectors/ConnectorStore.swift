import Foundation
import NIOConcurrencyHelpers
import SCIMFilter
import WardenCore

/// Saves, lists, updates and deletes connectors, sealing their secrets under the key ring, and
/// answers the runner's per-action `connector(named:)` from memory.
///
/// The cache holds every connector decrypted. A change made through this store updates it at once;
/// changes made by another Warden instance on the same database are picked up within
/// `refreshInterval`.
public final class ConnectorStore: Sendable {
    let database: Database
    let namedTable: NamedRecordTable
    let keys: SecretKeyRing
    let refreshInterval: Duration
    private let cache = NIOLockedValueBox(Cache())

    struct Cache {
        var byName: [String: Connector] = [:]
        var loadedAt: ContinuousClock.Instant?
        var refreshing = false
        /// Counts the changes made through this store, so a load that raced one does not undo it.
        var changes = 0

        mutating func change(_ update: (inout [String: Connector]) -> Void) {
            update(&byName)
            changes += 1
        }
    }

    public static let defaultRefreshInterval: Duration = .seconds(5)

    public init(database: Database, keys: SecretKeyRing, refreshInterval: Duration = ConnectorStore.defaultRefreshInterval) {
        self.database = database
        namedTable = NamedRecordTable(database: database, table: "lcm_connectors", noun: "connector", lockKey: 7273)
        self.keys = keys
        self.refreshInterval = refreshInterval
    }

    static let columns = "id, name, type, settings, secrets, created_at, updated_at"

    // MARK: The runner's view

    /// Reads every connector and decrypts its secrets; throws naming the first connector whose
    /// secrets the key ring cannot decrypt. `serve` calls it at start-up.
    public func load() async throws {
        let changes = cache.withLockedValue { $0.changes }
        let records = try await list()
        var byName: [String: Connector] = [:]
        for record in records {
            byName[record.name] = try record.connector(keys: keys)
        }
        cache.withLockedValue { cache in
            cache.refreshing = false
            // A change made meanwhile may be missing from what was read: keep the cache, read again next time.
            guard cache.changes == changes else { return }
            cache.byName = byName
            cache.loadedAt = .now
        }
    }

    /// The connector named `name` with its secrets decrypted, or nil when there is none. Answered
    /// from memory; the first call, and one after `refreshInterval`, reads the database.
    public func connector(named name: String) async throws -> Connector? {
        enum Step { case answer(Connector?), load, refresh }
        let interval = refreshInterval
        let step: Step = cache.withLockedValue { cache in
            guard let loadedAt = cache.loadedAt else { return .load }
            if loadedAt.duration(to: .now) < interval || cache.refreshing { return .answer(cache.byName[name]) }
            cache.refreshing = true
            return .refresh
        }
        switch step {
        case .answer(let connector):
            return connector
        case .load:
            try await load()
        case .refresh:
            // One caller reloads while the others keep answering from memory.
            do {
                try await load()
            } catch {
                cache.withLockedValue { $0.refreshing = false }
                throw error
            }
        }
        return cache.withLockedValue { $0.byName[name] }
    }

    /// Every connector's type by name, from memory (as of the last load or change).
    public func connectorTypes() -> [String: ConnectorType] {
        cache.withLockedValue { $0.byName.mapValues(\.type) }
    }

    // MARK: The API's view

    /// Validates and saves a new connector under a new id, which it returns; 409 when the name is taken.
    public func create(_ input: Connector.Input, by actor: String) async throws -> String {
        guard let type = input.type else {
            var violations = [APIError.FieldViolation(field: "type", description: "type is required: one of \(ConnectorType.allowedNames)")]
            if (input.name ?? "").isEmpty {
                violations.append(.init(field: "name", description: "name is required"))
            }
            throw Connector.invalid(violations)
        }
        let connector = try input.applied(to: Connector(id: UUID().uuidString.lowercased(), name: "", type: type))
        let now = Timestamp.now
        let record = try ConnectorRecord(connector, keys: keys, createdAt: now, updatedAt: now)
        try await database.transaction { sql in
            try await self.namedTable.lockNames(on: sql)
            try await self.namedTable.checkNameFree(record.name, except: nil, on: sql)
            var insert = self.database.statement("INSERT INTO lcm_connectors (\(Self.columns), created_by, updated_by) VALUES (")
            insert.append(binds: try Self.values(of: record) + [.text(actor), .text(actor)])
            insert.append(")")
            try await sql.execute(insert)
        }
        cache.withLockedValue { $0.change { $0[connector.name] = connector } }
        return connector.id
    }

    /// Every connector, in creation order.
    public func list() async throws -> [ConnectorRecord] {
        try await database.rows(database.statement("SELECT \(Self.columns) FROM lcm_connectors ORDER BY seq")).map(Self.decode)
    }

    /// The connector whose id, or else name, is `key`; 404 when there is none.
    public func get(_ key: String) async throws -> ConnectorRecord {
        try await database.read { try await self.get(key, on: $0) }
    }

    /// Replaces the members `input` sends (secrets not sent are kept), validates the result and
    /// saves it; 404 when there is no such connector, 409 when a new name is taken.
    @discardableResult
    public func update(_ key: String, with input: Connector.Input, by actor: String) async throws -> ConnectorRecord {
        let (old, new) = try await database.transaction { sql in
            try await self.namedTable.lockNames(on: sql)
            let stored = try await self.get(key, on: sql)
            let connector = try input.applied(to: try stored.connector(keys: self.keys))
            if connector.name != stored.name {
                try await self.namedTable.checkNameFree(connector.name, except: stored.id, on: sql)
            }
            let record = try ConnectorRecord(connector, keys: self.keys, createdAt: stored.createdAt, updatedAt: .now)
            var update = self.database.statement("UPDATE lcm_connectors SET name = ")
            update.append(bind: record.name)
            update.append(", settings = ")
            update.append(bind: try WireJSON.text(record.settings))
            update.append(", secrets = ")
            update.append(bind: record.sealedSecrets)
            update.append(", updated_at = ")
            update.append(bind: record.updatedAt)
            update.append(", updated_by = ")
            update.append(bind: actor)
            update.append(" WHERE id = ")
            update.append(bind: record.id)
            try await sql.execute(update)
            return (stored, (record, connector))
        }
        cache.withLockedValue { cache in
            cache.change { byName in
                byName[old.name] = nil
                byName[new.1.name] = new.1
            }
        }
        return new.0
    }

    /// Deletes the connector; 404 when there is none.
    public func delete(_ key: String) async throws {
        let deleted = try await database.transaction { sql in
            let stored = try await self.get(key, on: sql)
            var delete = self.database.statement("DELETE FROM lcm_connectors WHERE id = ")
            delete.append(bind: stored.id)
            try await sql.execute(delete)
            return stored
        }
        cache.withLockedValue { $0.change { $0[deleted.name] = nil } }
    }

    // MARK: Helpers

    private func get(_ key: String, on sql: DatabaseConnection) async throws -> ConnectorRecord {
        try await namedTable.get(key, columns: Self.columns, on: sql, decode: Self.decode, id: \.id)
    }

    private static func values(of record: ConnectorRecord) throws -> [DatabaseValue] {
        [
            .text(record.id), .text(record.name), .text(record.type.rawValue), .text(try WireJSON.text(record.settings)),
            .text(record.sealedSecrets), record.createdAt.databaseValue, record.updatedAt.databaseValue,
        ]
    }

    static func decode(_ row: DatabaseRow) throws -> ConnectorRecord {
        var reader = row.reader()
        return ConnectorRecord(
            id: try reader.text(), name: try reader.text(), type: try reader.wireEnum(ConnectorType.self),
            settings: try WireJSON.value(ConnectorRecord.Settings.self, from: try reader.text()),
            sealedSecrets: try reader.text(), createdAt: try reader.timestamp(), updatedAt: try reader.timestamp())
    }
}
