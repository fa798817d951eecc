import NIOCore
import PostgresNIO

/// Rows as PostgreSQL sent them: every cell's bytes (nil for NULL) row after row, and each column's
/// type and format. Reading a cell is an array lookup, without building a `PostgresCell`.
struct PostgresCells: Sendable {
    private(set) var types: [(dataType: PostgresDataType, format: PostgresFormat)] = []
    private(set) var bytes: [ByteBuffer?] = []
    private(set) var count = 0

    /// Appends one row, in one pass over its cells.
    mutating func append(_ row: PostgresRow) {
        let first = count == 0
        for cell in row {
            if first { types.append((cell.dataType, cell.format)) }
            bytes.append(cell.bytes)
        }
        count += 1
    }

    /// The bytes of column `column` in row `row`; nil for NULL.
    func bytes(row: Int, column: Int) -> ByteBuffer? {
        bytes[row * types.count + column]
    }

    /// The cell at `row`, `column`, for the driver's own decoders.
    func cell(row: Int, column: Int) -> PostgresCell {
        PostgresCell(
            bytes: bytes(row: row, column: column), dataType: types[column].dataType, format: types[column].format,
            columnName: "", columnIndex: column)
    }

    /// Row `row` as values.
    func databaseRow(_ row: Int) throws -> DatabaseRow {
        DatabaseRow(try types.indices.map { try DatabaseValue(cell(row: row, column: $0)) })
    }
}
