import Foundation
import SCIMFilter
import WardenCore

/// Saves, lists, replaces and deletes access profiles; the SCIM performer reads them by name.
public struct AccessProfileStore: Sendable {
    let database: Database
    let namedTable: NamedRecordTable
    let connectors: ConnectorStore

    public init(database: Database, connectors: ConnectorStore) {
        self.database = database
        namedTable = NamedRecordTable(database: database, table: "lcm_access_profiles", noun: "access profile", lockKey: 7274)
        self.connectors = connectors
    }

    static let columns = "id, name, description, connector, groups_json, created_at, updated_at"

    /// Validates and saves a new profile under a new id, which it returns; 409 when the name is taken.
    public func create(_ input: AccessProfile.Input, by actor: String) async throws -> String {
        try await validate(input)
        let now = Timestamp.now
        let profile = AccessProfile(
            id: UUID().uuidString.lowercased(), name: input.name, description: input.description, connector: input.connector, groups: input.groups,
            createdAt: now, updatedAt: now)
        try await database.transaction { sql in
            try await self.namedTable.lockNames(on: sql)
            try await self.namedTable.checkNameFree(profile.name, except: nil, on: sql)
            var insert = self.database.statement("INSERT INTO lcm_access_profiles (\(Self.columns), created_by, updated_by) VALUES (")
            insert.append(binds: [
                .text(profile.id), .text(profile.name), .text(profile.description), .text(profile.connector),
                .text(try WireJSON.text(profile.groups)), now.databaseValue, now.databaseValue, .text(actor), .text(actor),
            ])
            insert.append(")")
            try await sql.execute(insert)
        }
        return profile.id
    }

    /// Every profile, in creation order.
    public func list() async throws -> [AccessProfile] {
        try await database.rows(database.statement("SELECT \(Self.columns) FROM lcm_access_profiles ORDER BY seq")).map(Self.decode)
    }

    /// The profile whose id, or else name, is `key`; 404 when there is none.
    public func get(_ key: String) async throws -> AccessProfile {
        try await database.read { try await self.get(key, on: $0) }
    }

    /// The profiles named `names` that exist, by name.
    public func profiles(named names: [String]) async throws -> [String: AccessProfile] {
        guard !names.isEmpty else { return [:] }
        var select = database.statement("SELECT \(Self.columns) FROM lcm_access_profiles WHERE name IN (")
        select.append(binds: names.map(DatabaseValue.text))
        select.append(")")
        return Dictionary(try await database.rows(select).map(Self.decode).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Replaces the profile's name, description, connector and groups; 404 when there is none, 409
    /// when a new name is taken.
    public func replace(_ key: String, with input: AccessProfile.Input, by actor: String) async throws -> AccessProfile {
        try await validate(input)
        return try await database.transaction { sql in
            try await self.namedTable.lockNames(on: sql)
            var profile = try await self.get(key, on: sql)
            if input.name != profile.name { try await self.namedTable.checkNameFree(input.name, except: profile.id, on: sql) }
            profile.name = input.name
            profile.description = input.description
            profile.connector = input.connector
            profile.groups = input.groups
            profile.updatedAt = .now
            var update = self.database.statement("UPDATE lcm_access_profiles SET name = ")
            update.append(bind: profile.name)
            update.append(", description = ")
            update.append(bind: profile.description)
            update.append(", connector = ")
            update.append(bind: profile.connector)
            update.append(", groups_json = ")
            update.append(bind: try WireJSON.text(profile.groups))
            update.append(", updated_at = ")
            update.append(bind: profile.updatedAt)
            update.append(", updated_by = ")
            update.append(bind: actor)
            update.append(" WHERE id = ")
            update.append(bind: profile.id)
            try await sql.execute(update)
            return profile
        }
    }

    /// Deletes the profile; 404 when there is none.
    public func delete(_ key: String) async throws {
        try await database.transaction { sql in
            let stored = try await self.get(key, on: sql)
            var delete = self.database.statement("DELETE FROM lcm_access_profiles WHERE id = ")
            delete.append(bind: stored.id)
            try await sql.execute(delete)
        }
    }

    // MARK: Helpers

    private func get(_ key: String, on sql: DatabaseConnection) async throws -> AccessProfile {
        try await namedTable.get(key, columns: Self.columns, on: sql, decode: Self.decode, id: \.id)
    }

    private func validate(_ input: AccessProfile.Input) async throws {
        var types = connectors.connectorTypes()
        if types[input.connector] == nil, let connector = try await connectors.connector(named: input.connector) {
            types[connector.name] = connector.type
        }
        try input.validate(connectors: types)
    }

    static func decode(_ row: DatabaseRow) throws -> AccessProfile {
        var reader = row.reader()
        return AccessProfile(
            id: try reader.text(), name: try reader.text(), description: try reader.text(), connector: try reader.text(),
            groups: try WireJSON.value([String].self, from: try reader.text()), createdAt: try reader.timestamp(), updatedAt: try reader.timestamp())
    }
}
