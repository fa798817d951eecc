import NIOCore
import PostgresNIO

/// Rows as PostgreSQL sent them: every cell's bytes copied into one buffer, row after row, and each
/// column's type and format. Reading a cell is pointer arithmetic; no `PostgresCell` or
/// `ByteBuffer` is kept per cell.
struct PostgresCells: Sendable {
    private(set) var types: [(dataType: PostgresDataType, format: PostgresFormat)] = []
    private var bytes: [UInt8] = []
    /// Where each cell's bytes start in `bytes`, row after row; -1 for NULL.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private(set) var count = 0

    /// A cell's value, in the forms Warden stores; valid only inside `withCell`.
    enum Cell {
        case null
        /// UTF-8 text: text, varchar, name and json, and jsonb's JSON text after its version byte.
        case text(UnsafeRawBufferPointer)
        case integer(Int64)
        case boolean(Bool)
        case double(Double)
        /// Any other type, for the driver's own decoders.
        case other(UnsafeRawBufferPointer)
    }

    /// Appends one row, in one pass over its cells.
    mutating func append(_ row: PostgresRow) {
        let first = count == 0
        for cell in row {
            if first { types.append((cell.dataType, cell.format)) }
            guard let cellBytes = cell.bytes else {
                starts.append(-1)
                ends.append(-1)
                continue
            }
            starts.append(bytes.count)
            cellBytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
            ends.append(bytes.count)
        }
        count += 1
    }

    /// Whether column `column` of row `row` is NULL.
    func isNull(row: Int, column: Int) -> Bool {
        starts[row * types.count + column] < 0
    }

    /// Calls `body` with the cell at `row`, `column`.
    func withCell<T>(row: Int, column: Int, _ body: (Cell) throws -> T) rethrows -> T {
        let index = row * types.count + column
        guard starts[index] >= 0 else { return try body(.null) }
        return try bytes.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[starts[index]..<ends[index]])
            switch (types[column].format, types[column].dataType) {
            case (.binary, .text), (.binary, .varchar), (.binary, .name), (.binary, .json):
                return try body(.text(raw))
            case (.binary, .jsonb) where raw.count > 0:
                return try body(.text(UnsafeRawBufferPointer(rebasing: raw.dropFirst())))
            case (.binary, .int8) where raw.count == 8:
                return try body(.integer(Int64(bigEndian: raw.loadUnaligned(as: Int64.self))))
            case (.binary, .float8) where raw.count == 8:
                return try body(.double(Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)))))
            case (.binary, .bool) where raw.count == 1:
                return try body(.boolean(raw[0] != 0))
            default:
                return try body(.other(raw))
            }
        }
    }

    /// The value at `row`, `column`.
    func value(row: Int, column: Int) throws -> DatabaseValue {
        try withCell(row: row, column: column) { cell in
            switch cell {
            case .null: .null
            case .text(let utf8): .text(String(decoding: utf8, as: UTF8.self))
            case .integer(let integer): .integer(integer)
            case .boolean(let bool): .boolean(bool)
            case .double(let double): .double(double)
            case .other(let raw):
                try DatabaseValue(PostgresCell(
                    bytes: ByteBuffer(bytes: raw), dataType: types[column].dataType, format: types[column].format,
                    columnName: "", columnIndex: column))
            }
        }
    }

    /// Row `row` as values.
    func databaseRow(_ row: Int) throws -> DatabaseRow {
        DatabaseRow(try types.indices.map { try value(row: row, column: $0) })
    }
}
