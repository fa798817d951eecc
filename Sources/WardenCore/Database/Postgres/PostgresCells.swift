import Foundation
import NIOCore
import PostgresNIO

/// Rows as PostgresNIO delivered them, in PostgreSQL's binary format: every cell's bytes copied
/// into one buffer, row after row, with each cell's span, and each column's form. Reading a cell is
/// pointer arithmetic; no `PostgresCell` or `ByteBuffer` is kept per cell.
struct PostgresCells: CellRows {
    /// How a column's cells are stored and read, decided once from its type.
    enum Form: Sendable {
        /// UTF-8 as sent: text, varchar, name, json.
        case text
        /// jsonb: a version byte, then JSON text.
        case jsonb
        case int2, int4, int8, float4, float8, bool
        /// Any other type (numeric, uuid, …): copied as the driver's text for it.
        case decodedText
        /// numeric: copied as its decimal text, read as a double.
        case numeric

        init(_ dataType: PostgresDataType) {
            self = switch dataType {
            case .text, .varchar, .name, .json, .bpchar: .text
            case .jsonb: .jsonb
            case .int2: .int2
            case .int4: .int4
            case .int8: .int8
            case .float4: .float4
            case .float8: .float8
            case .bool: .bool
            case .numeric: .numeric
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
    /// Where each cell's bytes start in `bytes`, row after row; -1 for NULL.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private(set) var count = 0

    var columnCount: Int { forms.count }

    /// Appends one row, in one pass over its cells.
    mutating func append(_ row: PostgresRow) throws {
        let first = count == 0
        for cell in row {
            if first { forms.append(cell.format == .binary ? Form(cell.dataType) : .text) }
            guard let cellBytes = cell.bytes else {
                starts.append(-1)
                ends.append(-1)
                continue
            }
            starts.append(bytes.count)
            switch forms[cell.columnIndex] {
            case .decodedText:
                bytes += try cell.decode(String.self).utf8
            case .numeric:
                bytes += try cell.decode(Decimal.self).description.utf8
            case let form:
                if let size = form.size, cellBytes.readableBytes != size {
                    throw PostgresError.protocolViolation("a \(cell.dataType) cell of \(cellBytes.readableBytes) bytes")
                }
                if form == .jsonb, cellBytes.readableBytes == 0 {
                    throw PostgresError.protocolViolation("an empty jsonb cell")
                }
                cellBytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
            }
            ends.append(bytes.count)
        }
        count += 1
    }

    /// Makes room for `rows` rows in all, each about the size of the rows so far, so that a batch
    /// of known size is not copied as it grows.
    mutating func reserve(rows: Int) {
        guard count > 0 else { return }
        starts.reserveCapacity(rows * forms.count)
        ends.reserveCapacity(rows * forms.count)
        bytes.reserveCapacity(rows * (bytes.count / count) * 5 / 4)
    }

    /// Whether column `column` of row `row` is NULL.
    func isNull(row: Int, column: Int) -> Bool {
        starts[row * forms.count + column] < 0
    }

    /// Calls `body` with the cell at `row`, `column`.
    func withCell<T>(row: Int, column: Int, _ body: (StoredCell) throws -> T) rethrows -> T {
        let index = row * forms.count + column
        guard starts[index] >= 0 else { return try body(.null) }
        return try bytes.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[starts[index]..<ends[index]])
            switch forms[column] {
            case .text, .decodedText:
                return try body(.text(raw))
            case .jsonb:
                return try body(.text(UnsafeRawBufferPointer(rebasing: raw.dropFirst())))
            case .int8:
                return try body(.integer(Int64(bigEndian: raw.loadUnaligned(as: Int64.self))))
            case .int4:
                return try body(.integer(Int64(Int32(bigEndian: raw.loadUnaligned(as: Int32.self)))))
            case .int2:
                return try body(.integer(Int64(Int16(bigEndian: raw.loadUnaligned(as: Int16.self)))))
            case .float8:
                return try body(.double(Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)))))
            case .float4:
                return try body(.double(Double(Float(bitPattern: UInt32(bigEndian: raw.loadUnaligned(as: UInt32.self))))))
            case .bool:
                return try body(.boolean(raw.first != 0))
            case .numeric:
                return try body(.double(Double(String(decoding: raw, as: UTF8.self)) ?? .nan))
            }
        }
    }
}
