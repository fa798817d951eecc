/// An INSERT into `table` that updates the other columns of a row whose `key` already exists.
public struct Upsert: Sendable {
    public let table: String
    public let columns: [String]
    public let key: [String]

    public init(table: String, columns: [String], key: [String]) {
        self.table = table
        self.columns = columns
        self.key = key
    }

    /// Rows per PostgreSQL statement: as many as keep it under 30,000 binds (the limit is 65,535).
    var rowsPerStatement: Int { max(1, 30_000 / columns.count) }

    /// The statement for `rows` rows, with placeholders numbered for `kind`.
    func sql(rows: Int, kind: DatabaseKind) -> String {
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var placeholder = 0
        for row in 0..<rows {
            sql += row == 0 ? "(" : ", ("
            for column in columns.indices {
                placeholder += 1
                if column > 0 { sql += ", " }
                sql += kind == .postgres ? "$\(placeholder)" : "?"
            }
            sql += ")"
        }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        sql += " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))"
        return sql
    }
}

extension DatabaseConnection {
    /// Upserts `rows` (each in `upsert.columns` order): on SQLite one prepared single-row statement
    /// stepped per row, on PostgreSQL multi-row statements, to spare round trips.
    public func execute(_ upsert: Upsert, rows: [[DatabaseValue]]) async throws {
        guard !rows.isEmpty else { return }
        switch handle {
        case .sqlite(let connection):
            try await connection.executeEach(upsert.sql(rows: 1, kind: .sqlite), rows: rows)
        case .postgres:
            for chunk in rows.chunks(of: upsert.rowsPerStatement) {
                var statement = SQLText(.postgres, upsert.sql(rows: chunk.count, kind: .postgres))
                statement.bind(contentsOf: chunk.joined())
                try await execute(statement)
            }
        }
    }
}
