/// One stored cell, read in place; `text` is valid only inside the `withCell` call that lent it.
enum StoredCell {
    case null
    /// UTF-8 text, JSON included.
    case text(UnsafeRawBufferPointer)
    case integer(Int64)
    case boolean(Bool)
    case double(Double)
}

/// Result rows kept in one buffer as the driver read them, for pages and exports that write each
/// cell straight from its bytes.
protocol CellRows: Sendable {
    var count: Int { get }
    var columnCount: Int { get }
    func isNull(row: Int, column: Int) -> Bool
    func withCell<T>(row: Int, column: Int, _ body: (StoredCell) throws -> T) rethrows -> T
}

extension CellRows {
    /// The value at `row`, `column`.
    func value(row: Int, column: Int) -> DatabaseValue {
        withCell(row: row, column: column) { cell in
            switch cell {
            case .null: .null
            case .text(let utf8): .text(String(decoding: utf8, as: UTF8.self))
            case .integer(let integer): .integer(integer)
            case .boolean(let bool): .boolean(bool)
            case .double(let double): .double(double)
            }
        }
    }

    /// Row `row` as values.
    func databaseRow(_ row: Int) -> DatabaseRow {
        DatabaseRow((0..<columnCount).map { value(row: row, column: $0) })
    }
}
