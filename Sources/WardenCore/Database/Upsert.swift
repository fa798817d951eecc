/// An INSERT into `table` that updates the other columns of a row whose `key` already exists (or,
/// when every column is in the key, leaves that row be); with no `key`, a plain INSERT, which fails
/// on a duplicate.
///
/// SQLite steps one prepared single-row statement per row. PostgreSQL copies the rows into a
/// temporary table of the connection's (`COPY … FROM STDIN`) and moves them with one
/// `INSERT … SELECT`: the server parses and plans one statement per batch instead of one with a
/// bind per value, which cuts its CPU per row by about 40%. The staging table keeps the column
/// types it had when the connection first used it; Warden migrates before it writes.
public struct Upsert: Sendable {
    public let table: String
    public let columns: [String]
    public let key: [String]
    /// Whether PostgreSQL may write a small batch with one multi-row `INSERT … VALUES`: only for
    /// tables whose columns take Warden's text, integer and boolean values as they are bound (no
    /// `jsonb`, which takes text only through COPY or a cast).
    public let insertsSmallBatches: Bool

    public init(table: String, columns: [String], key: [String], insertsSmallBatches: Bool = false) {
        self.table = table
        self.columns = columns
        self.key = key
        self.insertsSmallBatches = insertsSmallBatches
    }

    /// Rows per COPY on PostgreSQL: small enough that a batch stays in the server's temp buffers.
    static let rowsPerCopy = 5_000

    /// Up to this many binds, PostgreSQL gets one multi-row `INSERT … VALUES` instead: for the small
    /// batches a runner commits many times a second, one round trip instead of a COPY, an
    /// `INSERT … SELECT` and a `TRUNCATE` of the staging table.
    static let bindsPerInsert = 8_000

    /// PostgreSQL's statement for `rows` rows, numbered placeholders in row order.
    func postgresInsert(rows: Int) -> String {
        var sql = "INSERT INTO \(table) (\(columnList)) VALUES "
        var placeholder = 1
        for row in 0..<rows {
            sql += row == 0 ? "(" : ", ("
            for column in 0..<columns.count {
                sql += column == 0 ? "$\(placeholder)" : ", $\(placeholder)"
                placeholder += 1
            }
            sql += ")"
        }
        return sql + conflictClause
    }

    private var columnList: String { columns.joined(separator: ", ") }

    private var conflictClause: String {
        guard !key.isEmpty else { return "" }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        guard !updates.isEmpty else { return " ON CONFLICT (\(key.joined(separator: ", "))) DO NOTHING" }
        return " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))"
    }

    /// SQLite's statement for one row, its values bound in `columns` order.
    var sqliteStatement: String {
        "INSERT INTO \(table) (\(columnList)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))\(conflictClause)"
    }

    /// The connection's staging table, typed like the columns plus a row number that keeps the
    /// rows in the order sent; its name hashes the table and the columns, so it fits in 63 bytes.
    var stagingTable: String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(table)(\(columnList))".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "warden_copy_\(String(hash, radix: 16))"
    }

    /// PostgreSQL's statement that makes the staging table, once per connection.
    var createStaging: String {
        "CREATE TEMPORARY TABLE IF NOT EXISTS \(stagingTable) AS SELECT \(columnList), 0::bigint AS warden_copy_row FROM \(table) WITH NO DATA"
    }

    /// The columns the rows are copied into: `columns` and the row number.
    var stagingColumns: [String] { columns + ["warden_copy_row"] }

    /// PostgreSQL's upsert from the staging table, in the order the rows were sent.
    var insertFromStaging: String {
        "INSERT INTO \(table) (\(columnList)) SELECT \(columnList) FROM \(stagingTable) ORDER BY warden_copy_row\(conflictClause)"
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
        case .postgres(let lease) where upsert.insertsSmallBatches && rows.count * upsert.columns.count <= Upsert.bindsPerInsert:
            try await lease.execute(upsert.postgresInsert(rows: rows.count), rows.flatMap { $0 })
        case .postgres(let lease):
            let copyAll: @Sendable (DatabaseConnection) async throws -> Void = { _ in
                try await lease.execute(upsert.createStaging)
                for chunk in rows.chunks(of: Upsert.rowsPerCopy) {
                    let numbered = chunk.enumerated().map { $0.element + [.integer(Int64($0.offset))] }
                    try await lease.copy(into: upsert.stagingTable, columns: upsert.stagingColumns, rows: numbered)
                    try await lease.execute(upsert.insertFromStaging)
                    try await lease.execute("TRUNCATE \(upsert.stagingTable)")
                }
            }
            if isInTransaction {
                try await copyAll(self)
            } else {
                try await Database.inTransaction(self, kind: .postgres, begin: "BEGIN", copyAll)
            }
        }
    }
}
