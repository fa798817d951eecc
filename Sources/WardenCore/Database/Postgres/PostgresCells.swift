import Foundation
import NIOCore
import PostgresNIO

/// Rows as PostgresNIO delivered them, in PostgreSQL's binary format, read once as they arrive:
/// numbers and booleans decoded into one array, text (JSON included) copied into one buffer with
/// each cell's span. Reading a cell is an array lookup; no `PostgresCell` or `ByteBuffer` is kept
/// per cell.
struct PostgresCells: CellRows {
    /// How a column's cells are stored and read, decided once from its type.
    enum Form: Sendable {
        /// UTF-8 text: text, varchar, name, json, bpchar; jsonb after its version byte; any other
        /// type (uuid, …) as the driver's text for it.
        case text, jsonb, decodedText
        /// Whole numbers: int2, int4, int8.
        case int2, int4, int8
        /// Floating point numbers: float4, float8, and numeric read as a double.
        case float4, float8, numeric
        case bool

        init(_ dataType: PostgresDataType) {
            self = switch dataType {
            case .text, .varchar, .name, .json, .bpchar: .text
            case .jsonb: .jsonb
            case .int2: .int2
            case .int4: .int4
            case .int8: .int8
            case .float4: .float4
            case .float8: .float8
            case .numeric: .numeric
            case .bool: .bool
            default: .decodedText
            }
        }

        /// The byte count of a fixed-size type's cells.
        var size: Int? {
            switch self {
            case .int2: 2
            case .int4, .float4: 4
            case .int8, .float8: 8
            case .bool: 1
            case .text, .jsonb, .decodedText, .numeric: nil
            }
        }
    }

    private(set) var forms: [Form] = []
    private var bytes: [UInt8] = []
    /// Per cell, row after row: a number's value (a double's bit pattern), or where a text cell's
    /// bytes start in `bytes`.
    private var values: [Int64] = []
    /// Per cell: where a text cell's bytes end; -1 for NULL.
    private var ends: [Int] = []
    private(set) var count = 0

    var columnCount: Int { forms.count }

    /// Appends one row, in one pass over its cells.
    mutating func append(_ row: PostgresRow) throws {
        let first = count == 0
        for cell in row {
            if first { forms.append(cell.format == .binary ? Form(cell.dataType) : .text) }
            guard let cellBytes = cell.bytes else {
                values.append(0)
                ends.append(-1)
                continue
            }
            let form = forms[cell.columnIndex]
            if let size = form.size, cellBytes.readableBytes != size {
                throw PostgresError.protocolViolation("a \(cell.dataType) cell of \(cellBytes.readableBytes) bytes")
            }
            let at = cellBytes.readerIndex
            switch form {
            case .int8: values.append(cellBytes.getInteger(at: at, as: Int64.self)!)
            case .int4: values.append(Int64(cellBytes.getInteger(at: at, as: Int32.self)!))
            case .int2: values.append(Int64(cellBytes.getInteger(at: at, as: Int16.self)!))
            case .float8: values.append(Int64(bitPattern: cellBytes.getInteger(at: at, as: UInt64.self)!))
            case .float4: values.append(Self.bits(Double(Float(bitPattern: cellBytes.getInteger(at: at, as: UInt32.self)!))))
            case .bool: values.append(cellBytes.getInteger(at: at, as: UInt8.self)! == 0 ? 0 : 1)
            case .numeric: values.append(Self.bits(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue))
            case .text, .jsonb, .decodedText:
                values.append(Int64(bytes.count))
                switch form {
                case .decodedText:
                    bytes += try cell.decode(String.self).utf8
                case .jsonb:
                    guard cellBytes.readableBytes > 0 else { throw PostgresError.protocolViolation("an empty jsonb cell") }
                    cellBytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0.dropFirst().assumingMemoryBound(to: UInt8.self)) }
                default:
                    cellBytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
                }
                ends.append(bytes.count)
                continue
            }
            ends.append(0)
        }
        count += 1
    }

    private static func bits(_ double: Double) -> Int64 {
        Int64(bitPattern: double.bitPattern)
    }

    /// Makes room for `rows` rows in all, each about the size of the rows so far, so that a batch
    /// of known size is not copied as it grows.
    mutating func reserve(rows: Int) {
        guard count > 0 else { return }
        values.reserveCapacity(rows * forms.count)
        ends.reserveCapacity(rows * forms.count)
        bytes.reserveCapacity(rows * (bytes.count / count) * 5 / 4)
    }

    /// Whether column `column` of row `row` is NULL.
    func isNull(row: Int, column: Int) -> Bool {
        ends[row * forms.count + column] < 0
    }

    /// Calls `body` with the cell at `row`, `column`.
    func withCell<T>(row: Int, column: Int, _ body: (StoredCell) throws -> T) rethrows -> T {
        let index = row * forms.count + column
        let end = ends[index]
        guard end >= 0 else { return try body(.null) }
        switch forms[column] {
        case .int2, .int4, .int8:
            return try body(.integer(values[index]))
        case .float4, .float8, .numeric:
            return try body(.double(Double(bitPattern: UInt64(bitPattern: values[index]))))
        case .bool:
            return try body(.boolean(values[index] != 0))
        case .text, .jsonb, .decodedText:
            return try bytes.withUnsafeBytes { all in
                try body(.text(UnsafeRawBufferPointer(rebasing: all[Int(values[index])..<end])))
            }
        }
    }
}
