import Foundation
import SCIMFilter
import WardenCore

/// Creates, lists and reads identity sources.
public struct IdentitySourceStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let select = selecting(count: "(SELECT COUNT(*) FROM lcm_identities i WHERE i.source_id = s.id AND i.active)")

    private static func selecting(count: String) -> String {
        """
        SELECT s.id, s.name, s.description, s.entity_type, s.id_attribute, s.name_attribute,
        \(count), s.created_at, s.created_by
        FROM lcm_identity_sources s
        """
    }

    /// Validates and saves a new source; 409 when the name is taken. Returns its id.
    public func create(_ input: IdentitySource.Input, by actor: String) async throws -> String {
        let input = try input.validated()
        let id = UUID().uuidString.lowercased()
        var insert = database.statement("""
            INSERT INTO lcm_identity_sources (id, name, description, entity_type, id_attribute, name_attribute, created_at, created_by) VALUES (
            """)
        insert.append(binds: [
            .text(id), .text(input.name), .text(input.description ?? ""), .text(input.entityType ?? "Identity"),
            .text(input.idAttribute ?? "id"), .text(input.nameAttribute ?? "name"), Timestamp.now.databaseValue, .text(actor),
        ])
        insert.append(")")
        var taken = database.statement("SELECT 1 FROM lcm_identity_sources WHERE name = ")
        taken.append(bind: input.name)
        try await database.transaction { [insert, taken] connection in
            if try await connection.first(taken) != nil {
                throw APIError(.alreadyExists, "an identity source named \"\(input.name)\" already exists", resolution: "Choose another name.")
            }
            try await connection.execute(insert)
        }
        return id
    }

    /// Every source, oldest first (there are few).
    public func list() async throws -> [IdentitySource] {
        try await database.rows(database.statement(Self.select + " ORDER BY s.seq")).map(Self.decode)
    }

    /// The source with this id, or, failing that, this name; 404 when there is none.
    public func get(_ idOrName: String) async throws -> IdentitySource {
        guard let source = try await find(idOrName) else { throw APIError.notFound("identity source \(idOrName)") }
        return source
    }

    /// The source with this id or name, if any. Without `countingIdentities` its
    /// `activeIdentityCount` is 0: a caller that does not show it (every `/scim/v2` request) is spared
    /// counting the source's identities.
    public func find(_ idOrName: String, countingIdentities: Bool = true) async throws -> IdentitySource? {
        var select = database.statement((countingIdentities ? Self.select : Self.selecting(count: "0")) + " WHERE s.id = ")
        select.append(bind: idOrName)
        select.append(" OR s.name = ")
        select.append(bind: idOrName)
        select.append(" ORDER BY s.id = ")
        select.append(bind: idOrName)
        select.append(" DESC LIMIT 1")
        return try await database.first(select).map(Self.decode)
    }

    static func decode(_ row: DatabaseRow) throws -> IdentitySource {
        var reader = row.reader()
        return IdentitySource(
            id: try reader.text(), name: try reader.text(), description: try reader.text(), entityType: try reader.text(),
            idAttribute: try reader.text(), nameAttribute: try reader.text(), activeIdentityCount: try reader.integer(),
            createdAt: try reader.timestamp(), createdBy: try reader.text())
    }
}
