import NIOCore

/// A batch of result rows kept as the driver returned them, so that a CSV export reads each cell
/// once, from the driver's own bytes, instead of through a `DatabaseValue`.
public struct RowBatch: Sendable {
    enum Rows: Sendable {
        case values([DatabaseRow])
        case postgres(PostgresCells)
    }

    let rows: Rows

    /// The number of rows.
    public var count: Int {
        switch rows {
        case .values(let rows): rows.count
        case .postgres(let rows): rows.count
        }
    }

    /// Every row as values.
    func databaseRows() throws -> [DatabaseRow] {
        switch rows {
        case .values(let rows): rows
        case .postgres(let cells): (0..<cells.count).map(cells.databaseRow)
        }
    }

    /// Row `index` as values, e.g. to continue a keyset after it.
    public func row(_ index: Int) throws -> DatabaseRow {
        switch rows {
        case .values(let rows): rows[index]
        case .postgres(let cells): cells.databaseRow(index)
        }
    }

    /// Whether column `column` of row `row` is NULL.
    public func isNull(row: Int, column: Int) -> Bool {
        switch rows {
        case .values(let rows): rows[row].values[column] == .null
        case .postgres(let cells): cells.isNull(row: row, column: column)
        }
    }

    /// Column `column` of row `row` as an integer.
    public func integer(row: Int, column: Int) throws -> Int64 {
        switch rows {
        case .values(let rows):
            var reader = rows[row].reader(from: column)
            return try reader.integer()
        case .postgres(let cells):
            var reader = DatabaseRow([cells.value(row: row, column: column)]).reader()
            return try reader.integer()
        }
    }

    /// Appends rows `range` as CSV lines: column `i` is written as `columns[i]` says, and columns
    /// past `columns` (sort keys) are left out.
    public func appendCSV(_ range: Range<Int>, columns: [CSVColumn], to buffer: inout ByteBuffer) throws {
        switch rows {
        case .values(let rows):
            for row in rows[range] {
                CSVWriter.appendRow(row.values, columns: columns, to: &buffer)
            }
        case .postgres(let cells):
            for row in range {
                for (index, column) in columns.enumerated() {
                    if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                    try column.append(cells, row: row, column: index, to: &buffer)
                }
                buffer.writeStaticString("\r\n")
            }
        }
    }
}

extension CSVColumn {
    /// Appends a PostgreSQL cell, read in place.
    func append(_ cells: PostgresCells, row: Int, column: Int, to buffer: inout ByteBuffer) throws {
        try cells.withCell(row: row, column: column) { cell in
            switch cell {
            case .null: return
            case .text(let utf8): CSVWriter.appendCell(utf8, to: &buffer)
            case .integer(let integer):
                switch self {
                case .timestamp: Self.appendTimestamp(integer, to: &buffer)
                case .boolean: Self.appendBoolean(integer != 0, to: &buffer)
                case .integer, .text: CSVWriter.appendInteger(integer, to: &buffer)
                }
            case .boolean(let bool): Self.appendBoolean(bool, to: &buffer)
            case .double(let double): append(.double(double), to: &buffer)
            }
        }
    }
}

extension DatabaseConnection {
    /// Runs a statement and returns its rows as the driver produced them.
    public func rowBatch(_ statement: SQLText) async throws -> RowBatch {
        switch handle {
        case .sqlite:
            return RowBatch(rows: .values(try await rows(statement)))
        case .postgres(let connection):
            return RowBatch(rows: .postgres(try await connection.query(statement.sql, statement.binds)))
        }
    }
}

extension Database {
    /// Runs one statement on a reader and returns its rows as the driver produced them.
    public func rowBatch(_ statement: SQLText) async throws -> RowBatch {
        try await read { try await $0.rowBatch(statement) }
    }
}
