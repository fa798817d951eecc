import NIOCore
import PostgresNIO

/// Why a row could not be read as a record.
enum PostgresCellsError: Error {
    case notARecord
    case truncatedRecord
}

/// Rows as PostgreSQL sent them: every cell's bytes copied into one buffer, row after row, and each
/// column's type and format. Reading a cell is pointer arithmetic; no `PostgresCell` or
/// `ByteBuffer` is kept per cell.
struct PostgresCells: Sendable {
    private(set) var types: [(dataType: PostgresDataType, format: PostgresFormat)] = []
    /// How each column's cells are read, decided once from its type.
    private var forms: [Form] = []
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

    /// How a column's cells are read.
    private enum Form {
        case text, jsonb, int8, float8, bool, other

        init(_ dataType: PostgresDataType, _ format: PostgresFormat) {
            guard format == .binary else {
                self = .other
                return
            }
            self = switch dataType {
            case .text, .varchar, .name, .json: .text
            case .jsonb: .jsonb
            case .int8: .int8
            case .float8: .float8
            case .bool: .bool
            default: .other
            }
        }
    }

    private mutating func addColumn(_ dataType: PostgresDataType, _ format: PostgresFormat) {
        types.append((dataType, format))
        forms.append(Form(dataType, format))
    }

    /// Appends one row, in one pass over its cells.
    mutating func append(_ row: PostgresRow) {
        let first = count == 0
        for cell in row {
            if first { addColumn(cell.dataType, cell.format) }
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

    /// Appends one row sent as a single binary record (`SELECT ROW(…)`): its fields become the row's
    /// columns, and the record's bytes are copied in one piece. The binary record is a field count,
    /// then for each field its type OID, its length (-1 for NULL) and its bytes.
    mutating func appendRecord(_ row: PostgresRow) throws {
        guard let cell = row.first(where: { _ in true }), cell.dataType == .record, cell.format == .binary, var record = cell.bytes else {
            throw PostgresCellsError.notARecord
        }
        let base = bytes.count
        let first = count == 0
        try record.withUnsafeReadableBytes { raw in
            func int32(at offset: Int) throws -> Int32 {
                guard offset + 4 <= raw.count else { throw PostgresCellsError.truncatedRecord }
                return Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
            }
            let fields = Int(try int32(at: 0))
            guard first || fields == types.count else { throw PostgresCellsError.truncatedRecord }
            var offset = 4
            for _ in 0..<fields {
                let oid = UInt32(bitPattern: try int32(at: offset))
                let length = Int(try int32(at: offset + 4))
                offset += 8
                if first { addColumn(PostgresDataType(oid), .binary) }
                guard length >= 0 else {
                    starts.append(-1)
                    ends.append(-1)
                    continue
                }
                guard offset + length <= raw.count else { throw PostgresCellsError.truncatedRecord }
                starts.append(base + offset)
                ends.append(base + offset + length)
                offset += length
            }
            bytes.append(contentsOf: raw.assumingMemoryBound(to: UInt8.self))
        }
        record.moveReaderIndex(to: record.writerIndex)
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
            switch forms[column] {
            case .text:
                return try body(.text(raw))
            case .jsonb where raw.count > 0:
                return try body(.text(UnsafeRawBufferPointer(rebasing: raw.dropFirst())))
            case .int8 where raw.count == 8:
                return try body(.integer(Int64(bigEndian: raw.loadUnaligned(as: Int64.self))))
            case .float8 where raw.count == 8:
                return try body(.double(Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)))))
            case .bool where raw.count == 1:
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
