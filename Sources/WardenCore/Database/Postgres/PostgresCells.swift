/// Rows as PostgreSQL sent them, in its text format: every cell's bytes copied into one buffer,
/// row after row, with each cell's span, and each column's type. Reading a cell is pointer
/// arithmetic; nothing is allocated per cell.
struct PostgresCells: CellRows {
    /// How a column's text is read, decided once from its type OID.
    enum Form: Sendable {
        case integer, double, boolean, text

        init(oid: UInt32) {
            self = switch oid {
            case 20, 21, 23, 26: .integer  // int8, int2, int4, oid
            case 700, 701, 1700: .double  // float4, float8, numeric
            case 16: .boolean
            default: .text
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

    /// Sets the columns from a RowDescription's type OIDs.
    mutating func describe(_ oids: [UInt32]) {
        forms = oids.map(Form.init(oid:))
    }

    /// Appends one DataRow message body: a field count, then each field's length (-1 for NULL) and
    /// bytes. The body is copied in one piece.
    mutating func appendDataRow(_ body: UnsafeRawBufferPointer) throws(PostgresError) {
        guard body.count >= 2 else { throw .protocolViolation("a DataRow without a field count") }
        let fields = Int(UInt16(body[0]) << 8 | UInt16(body[1]))
        guard fields == forms.count else { throw .protocolViolation("a DataRow of \(fields) fields for \(forms.count) columns") }
        let base = bytes.count
        var offset = 2
        for _ in 0..<fields {
            guard offset + 4 <= body.count else { throw .protocolViolation("a truncated DataRow") }
            let length = Int(Int32(bigEndian: body.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            offset += 4
            guard length >= 0 else {
                starts.append(-1)
                ends.append(-1)
                continue
            }
            guard offset + length <= body.count else { throw .protocolViolation("a truncated DataRow") }
            starts.append(base + offset)
            ends.append(base + offset + length)
            offset += length
        }
        bytes.append(contentsOf: body.assumingMemoryBound(to: UInt8.self))
        count += 1
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
            case .text:
                return try body(.text(raw))
            case .integer:
                if let integer = Self.integer(raw) { return try body(.integer(integer)) }
                return try body(.text(raw))
            case .double:
                if let double = Double(String(decoding: raw, as: UTF8.self)) { return try body(.double(double)) }
                return try body(.text(raw))
            case .boolean:
                return try body(.boolean(raw.first == UInt8(ascii: "t")))
            }
        }
    }

    /// A decimal integer in ASCII, as PostgreSQL writes int2, int4 and int8; nil if it is not one.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < text.count else { return nil }
        var value: Int64 = 0
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return value
    }
}
