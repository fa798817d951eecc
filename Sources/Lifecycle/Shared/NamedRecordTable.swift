import SCIMFilter
import WardenCore

/// A table whose records people name, and find by id or by name: connectors and access profiles.
struct NamedRecordTable: Sendable {
    let database: Database
    let table: String
    /// What one record is called in messages, such as "connector".
    let noun: String
    /// The PostgreSQL advisory lock that serialises the transactions naming this table's records.
    let lockKey: Int

    /// The record whose id is `key`, or else the one named `key`; a 404 naming it when there is none.
    func get<Record>(
        _ key: String, columns: String, on sql: DatabaseConnection, decode: (DatabaseRow) throws -> Record, id: (Record) -> String
    ) async throws -> Record {
        var select = database.statement("SELECT \(columns) FROM \(table) WHERE id = ")
        select.append(bind: key)
        select.append(" OR name = ")
        select.append(bind: key)
        let records = try await sql.rows(select).map(decode)
        guard let record = records.first(where: { id($0) == key }) ?? records.first else { throw APIError.notFound("\(noun) \(key)") }
        return record
    }

    /// Throws `alreadyExists` when a record other than `id` is named `name`.
    func checkNameFree(_ name: String, except id: String?, on sql: DatabaseConnection) async throws {
        var select = database.statement("SELECT id FROM \(table) WHERE name = ")
        select.append(bind: name)
        guard let row = try await sql.first(select) else { return }
        var reader = row.reader()
        let other = try reader.text()
        guard other != id else { return }
        let article = noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        throw APIError(
            .alreadyExists, "\(article) \(noun) named \"\(name)\" already exists (\(other))",
            resolution: "Choose another name, or change that \(noun) instead.")
    }

    /// On PostgreSQL, serialises the transactions that name records (SQLite has one writer anyway).
    func lockNames(on sql: DatabaseConnection) async throws {
        if database.kind == .postgres {
            try await sql.execute(SQLText(.postgres, "SELECT pg_advisory_xact_lock(\(lockKey))"))
        }
    }
}
