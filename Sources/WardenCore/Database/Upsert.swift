/// An INSERT into `table` that updates the other columns of a row whose `key` already exists; with
/// no `key`, a plain INSERT, which fails on a duplicate.
public struct Upsert: Sendable {
    public let table: String
    public let columns: [String]
    public let key: [String]
    /// Columns that hold JSON (jsonb on PostgreSQL), bound as text and cast there.
    public let jsonColumns: Set<String>

    public init(table: String, columns: [String], key: [String], jsonColumns: Set<String> = []) {
        self.table = table
        self.columns = columns
        self.key = key
        self.jsonColumns = jsonColumns
    }

    /// Rows per PostgreSQL statement: as many as keep it under 30,000 binds (the limit is 65,535).
    var rowsPerStatement: Int { max(1, 30_000 / columns.count) }

    /// The statement upserting `rows`, with their values bound.
    func statement(_ rows: some Collection<[DatabaseValue]>, kind: DatabaseKind) -> SQLText {
        var statement = SQLText(kind, "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
        let casts = kind == .postgres ? columns.map(jsonColumns.contains) : []
        for (index, row) in rows.enumerated() {
            statement.append(index == 0 ? "(" : ", (")
            if casts.contains(true) {
                for (position, value) in row.enumerated() {
                    if position > 0 { statement.append(", ") }
                    statement.append(casts[position] ? "CAST(" : "")
                    statement.append(bind: value)
                    statement.append(casts[position] ? " AS jsonb)" : "")
                }
            } else {
                statement.append(binds: row)
            }
            statement.append(")")
        }
        guard !key.isEmpty else { return statement }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        statement.append(" ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))")
        return statement
    }
}

extension DatabaseConnection {
    /// Upserts `rows` (each in `upsert.columns` order): on SQLite one prepared single-row statement
    /// stepped per row, on PostgreSQL multi-row statements, to spare round trips.
    public func execute(_ upsert: Upsert, rows: [[DatabaseValue]]) async throws {
        guard !rows.isEmpty else { return }
        switch handle {
        case .sqlite(let connection):
            try await connection.executeEach(upsert.statement(rows.prefix(1), kind: .sqlite).sql, rows: rows)
        case .postgres:
            for chunk in rows.chunks(of: upsert.rowsPerStatement) {
                try await execute(upsert.statement(chunk, kind: .postgres))
            }
        }
    }
}
