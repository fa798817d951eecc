/// An INSERT into `table` that updates the other columns of a row whose `key` already exists; with
/// no `key`, a plain INSERT, which fails on a duplicate.
///
/// SQLite steps one prepared single-row statement per row. PostgreSQL copies the rows into a
/// temporary table of the connection's (`COPY … FROM STDIN`) and moves them with one
/// `INSERT … SELECT`: the server parses and plans one statement per batch instead of one with a
/// bind per value, which halves its CPU per row.
public struct Upsert: Sendable {
    public let table: String
    public let columns: [String]
    public let key: [String]

    public init(table: String, columns: [String], key: [String]) {
        self.table = table
        self.columns = columns
        self.key = key
    }

    /// Rows per COPY on PostgreSQL: small enough that a batch stays in the server's temp buffers.
    static let rowsPerCopy = 5_000

    private var columnList: String { columns.joined(separator: ", ") }

    private var conflictClause: String {
        guard !key.isEmpty else { return "" }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        return " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))"
    }

    /// SQLite's statement for one row, its values bound in `columns` order.
    var sqliteStatement: String {
        "INSERT INTO \(table) (\(columnList)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))\(conflictClause)"
    }

    /// The connection's staging table: named after the table and the columns, typed like them.
    var stagingTable: String {
        var hash: UInt32 = 2_166_136_261
        for byte in columnList.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return "warden_copy_\(table)_\(String(hash, radix: 16))"
    }

    /// PostgreSQL's statements up to the COPY that receives the rows.
    var copyStatements: String {
        "CREATE TEMPORARY TABLE IF NOT EXISTS \(stagingTable) AS SELECT \(columnList) FROM \(table) WITH NO DATA; "
            + "COPY \(stagingTable) (\(columnList)) FROM STDIN"
    }

    /// PostgreSQL's statements after the COPY: the upsert itself, then emptying the staging table.
    var insertFromStaging: String {
        "INSERT INTO \(table) (\(columnList)) SELECT \(columnList) FROM \(stagingTable)\(conflictClause); TRUNCATE \(stagingTable)"
    }
}

extension DatabaseConnection {
    /// Upserts `rows` (each in `upsert.columns` order), all or none: within the caller's transaction
    /// if one is open, else in one of its own.
    public func execute(_ upsert: Upsert, rows: [[DatabaseValue]]) async throws {
        guard !rows.isEmpty else { return }
        switch handle {
        case .sqlite(let connection):
            try await connection.executeEach(upsert.sqliteStatement, rows: rows)
        case .postgres(let connection):
            let ownsTransaction = !connection.isInTransaction
            if ownsTransaction { try await execute(SQLText(.postgres, "BEGIN")) }
            do {
                for chunk in rows.chunks(of: Upsert.rowsPerCopy) {
                    try await connection.copy(upsert.copyStatements, rows: chunk, then: upsert.insertFromStaging)
                }
                if ownsTransaction { try await execute(SQLText(.postgres, "COMMIT")) }
            } catch {
                if ownsTransaction { try? await execute(SQLText(.postgres, "ROLLBACK")) }
                throw error
            }
        }
    }
}
