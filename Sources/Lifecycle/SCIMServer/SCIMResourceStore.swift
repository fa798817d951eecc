import SCIMFilter
import WardenCore

/// Reads and writes the stored SCIM resources of identity sources.
struct SCIMResourceStore: Sendable {
    let database: Database

    private static let columns = "id, source_id, resource_type, attributes, version, created_at, updated_at"

    /// Every resource of `type` in the source, oldest first; with `uniqueKey`, only the one whose
    /// unique attribute has that lower-cased value.
    func all(_ type: SCIMResourceType, sourceID: String, uniqueKey: String? = nil) async throws -> [SCIMResource] {
        var select = database.statement("SELECT \(Self.columns) FROM lcm_scim_resources WHERE source_id = ")
        select.append(bind: sourceID)
        select.append(" AND resource_type = ")
        select.append(bind: type.rawValue)
        if let uniqueKey {
            select.append(" AND unique_key = ")
            select.append(bind: uniqueKey)
        }
        select.append(" ORDER BY seq")
        return try await database.rows(select).map(Self.decode)
    }

    /// The page of resources of `type` in the source `query` asks for, and how many matched, with
    /// the filter, sort, offset and limit run in the database; nil when the filter or sort uses an
    /// attribute outside `type.catalog` (the caller then evaluates them in memory).
    func page(_ type: SCIMResourceType, sourceID: String, query: SCIMListQuery) async throws -> (total: Int, resources: [SCIMResource])? {
        let catalog = type.catalog(database.kind)
        var sortField: CatalogField?
        if let sortBy = query.sortBy {
            guard let field = catalog.field(named: sortBy.dottedName) else { return nil }
            sortField = field
        }
        func scoped(_ head: String) -> SQLText? {
            var sql = database.statement(head + " FROM lcm_scim_resources WHERE source_id = ")
            sql.append(bind: sourceID)
            sql.append(" AND resource_type = ")
            sql.append(bind: type.rawValue)
            if let uniqueKey = query.uniqueKey(of: type) {
                sql.append(" AND unique_key = ")
                sql.append(bind: uniqueKey)
            }
            if let filter = query.filter {
                guard let predicate = try? SQLCompiler(catalog: catalog, dialect: database.kind.filterDialect).compile(filter, firstPlaceholder: sql.nextPlaceholder) else {
                    return nil
                }
                sql.append(" AND (")
                sql.append(predicate)
                sql.append(")")
            }
            return sql
        }
        guard let count = scoped("SELECT COUNT(*)"), var select = scoped("SELECT \(Self.columns)") else { return nil }
        select.append(" ORDER BY ")
        if let sortField {
            let key = sortField.type == .string ? "lower(\(sortField.column))" : sortField.column
            select.append("(\(sortField.column) IS NULL), \(key) \(query.descending ? "DESC" : "ASC"), ")
        }
        select.append("seq LIMIT ")
        select.append(bind: Int64(query.count))
        select.append(" OFFSET ")
        select.append(bind: Int64(query.startIndex - 1))
        var total = try await database.first(count)?.reader()
        return (Int(try total?.integer() ?? 0), try await database.rows(select).map(Self.decode))
    }

    /// The resources of `type` in the source with these ids, by id.
    func find(_ type: SCIMResourceType, ids: Set<String>, sourceID: String) async throws -> [String: SCIMResource] {
        guard !ids.isEmpty else { return [:] }
        var select = database.statement("SELECT \(Self.columns) FROM lcm_scim_resources WHERE source_id = ")
        select.append(bind: sourceID)
        select.append(" AND resource_type = ")
        select.append(bind: type.rawValue)
        select.append(" AND id IN (")
        select.append(binds: ids.sorted().map(DatabaseValue.text))
        select.append(")")
        return Dictionary(uniqueKeysWithValues: try await database.rows(select).map(Self.decode).map { ($0.id, $0) })
    }

    /// The resource of `type` with this id in the source, or nil.
    func find(_ type: SCIMResourceType, id: String, sourceID: String, on connection: DatabaseConnection? = nil) async throws -> SCIMResource? {
        var select = database.statement("SELECT \(Self.columns) FROM lcm_scim_resources WHERE id = ")
        select.append(bind: id)
        select.append(" AND source_id = ")
        select.append(bind: sourceID)
        select.append(" AND resource_type = ")
        select.append(bind: type.rawValue)
        let row = if let connection { try await connection.first(select) } else { try await database.first(select) }
        return try row.map(Self.decode)
    }

    /// Whether another resource of the type in the source has `resource`'s unique value.
    func isTaken(by resource: SCIMResource) async throws -> Bool {
        var select = database.statement("SELECT 1 FROM lcm_scim_resources WHERE source_id = ")
        select.append(bind: resource.sourceID)
        select.append(" AND resource_type = ")
        select.append(bind: resource.type.rawValue)
        select.append(" AND unique_key = ")
        select.append(bind: resource.uniqueKey)
        select.append(" AND id <> ")
        select.append(bind: resource.id)
        return try await database.first(select) != nil
    }

    /// Writes `resource`, new or changed, on `connection`.
    func save(_ resource: SCIMResource, on connection: DatabaseConnection) async throws {
        var upsert = database.statement("INSERT INTO lcm_scim_resources (\(Self.columns), unique_key) VALUES (")
        upsert.append(binds: [
            .text(resource.id), .text(resource.sourceID), .text(resource.type.rawValue), .text(JSONValue.object(resource.attributes).jsonText),
            .integer(resource.version), resource.createdAt.databaseValue, resource.updatedAt.databaseValue, .text(resource.uniqueKey),
        ])
        upsert.append("""
            ) ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, version = excluded.version, updated_at = excluded.updated_at,
            unique_key = excluded.unique_key
            """)
        try await connection.execute(upsert)
    }

    /// Removes the resource with this id on `connection`.
    func delete(id: String, on connection: DatabaseConnection) async throws {
        var delete = database.statement("DELETE FROM lcm_scim_resources WHERE id = ")
        delete.append(bind: id)
        try await connection.execute(delete)
    }

    static func decode(_ row: DatabaseRow) throws -> SCIMResource {
        var reader = row.reader()
        let id = try reader.text()
        let sourceID = try reader.text()
        let type = SCIMResourceType(rawValue: try reader.text()) ?? .user
        return SCIMResource(
            id: id, sourceID: sourceID, type: type, attributes: try WireJSON.value([String: JSONValue].self, from: try reader.text()),
            version: try reader.integer(), createdAt: try reader.timestamp(), updatedAt: try reader.timestamp())
    }
}
