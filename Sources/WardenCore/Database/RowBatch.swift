import NIOCore

/// A batch of result rows kept as the driver returned them, so that a CSV export reads each cell
/// once, from the driver's own bytes, instead of through a `DatabaseValue`.
public struct RowBatch: Sendable {
    enum Rows: Sendable {
        case sqlite(SQLiteCells)
        case postgres(PostgresCells)
    }

    let rows: Rows

    /// The number of rows.
    public var count: Int {
        switch rows {
        case .sqlite(let cells): cells.count
        case .postgres(let cells): cells.count
        }
    }

    /// Every row as values.
    func databaseRows() -> [DatabaseRow] {
        (0..<count).map(row)
    }

    /// Row `index` as values, e.g. to continue a keyset after it.
    public func row(_ index: Int) -> DatabaseRow {
        switch rows {
        case .sqlite(let cells): cells.databaseRow(index)
        case .postgres(let cells): cells.databaseRow(index)
        }
    }

    /// Whether column `column` of row `row` is NULL.
    public func isNull(row: Int, column: Int) -> Bool {
        switch rows {
        case .sqlite(let cells): cells.isNull(row: row, column: column)
        case .postgres(let cells): cells.isNull(row: row, column: column)
        }
    }

    /// Column `column` of row `row` as an integer.
    public func integer(row: Int, column: Int) throws -> Int64 {
        let value = switch rows {
        case .sqlite(let cells): cells.value(row: row, column: column)
        case .postgres(let cells): cells.value(row: row, column: column)
        }
        var reader = DatabaseRow([value]).reader()
        return try reader.integer()
    }

    /// Appends rows `range` as CSV lines: column `i` is written as `columns[i]` says, and columns
    /// past `columns` (sort keys) are left out.
    public func appendCSV(_ range: Range<Int>, columns: [CSVColumn], to buffer: inout ByteBuffer) {
        switch rows {
        case .sqlite(let cells): cells.appendCSV(range, columns: columns, to: &buffer)
        case .postgres(let cells): cells.appendCSV(range, columns: columns, to: &buffer)
        }
    }
}

extension CellRows {
    /// Appends rows `range` as CSV lines, each cell read in place.
    func appendCSV(_ range: Range<Int>, columns: [CSVColumn], to buffer: inout ByteBuffer) {
        for row in range {
            for (index, column) in columns.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                column.append(self, row: row, column: index, to: &buffer)
            }
            buffer.writeStaticString("\r\n")
        }
    }
}

extension CSVColumn {
    /// Appends a stored cell, read in place.
    func append(_ cells: some CellRows, row: Int, column: Int, to buffer: inout ByteBuffer) {
        cells.withCell(row: row, column: column) { cell in
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
        case .sqlite(let connection):
            return RowBatch(rows: .sqlite(try await connection.cells(statement.sql, statement.binds)))
        case .postgres(let lease):
            return RowBatch(rows: .postgres(try await lease.cells(statement.sql, statement.binds)))
        }
    }
}

extension Database {
    /// Runs one statement on a reader and returns its rows as the driver produced them.
    public func rowBatch(_ statement: SQLText) async throws -> RowBatch {
        try await read { try await $0.rowBatch(statement) }
    }
}
