/// Rows as SQLite returned them: text copied into one buffer with each cell's span, numbers kept
/// as they are, and each cell's storage class; nothing is allocated per cell.
struct SQLiteCells: CellRows {
    enum Kind: UInt8 {
        case null, integer, double, text
    }

    let columnCount: Int
    private var kinds: [Kind] = []
    /// Per cell: the integer, the double's bits, or where the text starts in `bytes`.
    private var numbers: [Int64] = []
    /// Per cell: where the text ends in `bytes` (0 for other kinds).
    private var ends: [Int] = []
    private var bytes: [UInt8] = []

    init(columnCount: Int) {
        self.columnCount = columnCount
    }

    var count: Int { columnCount == 0 ? 0 : kinds.count / columnCount }

    mutating func appendNull() {
        kinds.append(.null)
        numbers.append(0)
        ends.append(0)
    }

    mutating func append(_ integer: Int64) {
        kinds.append(.integer)
        numbers.append(integer)
        ends.append(0)
    }

    mutating func append(_ double: Double) {
        kinds.append(.double)
        numbers.append(Int64(bitPattern: double.bitPattern))
        ends.append(0)
    }

    mutating func append(text: UnsafeBufferPointer<UInt8>) {
        kinds.append(.text)
        numbers.append(Int64(bytes.count))
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
    }

    func isNull(row: Int, column: Int) -> Bool {
        kinds[row * columnCount + column] == .null
    }

    func withCell<T>(row: Int, column: Int, _ body: (StoredCell) throws -> T) rethrows -> T {
        let index = row * columnCount + column
        switch kinds[index] {
        case .null: return try body(.null)
        case .integer: return try body(.integer(numbers[index]))
        case .double: return try body(.double(Double(bitPattern: UInt64(bitPattern: numbers[index]))))
        case .text:
            return try bytes.withUnsafeBytes { all in
                try body(.text(UnsafeRawBufferPointer(rebasing: all[Int(numbers[index])..<ends[index]])))
            }
        }
    }
}
