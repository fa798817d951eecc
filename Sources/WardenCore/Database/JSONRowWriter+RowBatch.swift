import NIOCore
import SCIMFilter

extension JSONRowWriter {
    /// Appends row `row` of `batch` as one object: the writer's columns are the batch's columns from
    /// `firstColumn` on, followed by `trailing`. Cells are written from the bytes the driver read.
    public func appendObject(
        _ batch: RowBatch, row: Int, firstColumn: Int, trailing: [DatabaseValue] = [], to bytes: inout [UInt8]
    ) {
        switch batch.rows {
        case .sqlite(let cells): appendObject(cells, row: row, firstColumn: firstColumn, trailing: trailing, to: &bytes)
        case .postgres(let cells): appendObject(cells, row: row, firstColumn: firstColumn, trailing: trailing, to: &bytes)
        }
    }

    private func appendObject(
        _ cells: some CellRows, row: Int, firstColumn: Int, trailing: [DatabaseValue], to bytes: inout [UInt8]
    ) {
        let stored = columnCount - trailing.count
        appendObject(to: &bytes) { index in
            index < stored ? cells.isNull(row: row, column: firstColumn + index) : trailing[index - stored] == .null
        } appendValue: { index, bytes in
            if index < stored {
                appendCell(cells, row: row, column: firstColumn + index, as: index, to: &bytes)
            } else {
                appendValue(trailing[index - stored], column: index, to: &bytes)
            }
        }
    }

    /// A list body of rows `rows` of `batch`, each written by `appendObject(_:row:firstColumn:trailing:to:)`
    /// with `trailing(row)` after its stored columns.
    public func page(
        _ batch: RowBatch, rows: Range<Int>, firstColumn: Int, trailing: (Int) throws -> [DatabaseValue] = { _ in [] },
        nextPageToken: String, hasMore: Bool
    ) throws -> ByteBuffer {
        try Self.page(count: rows.count, nextPageToken: nextPageToken, hasMore: hasMore) { index, bytes in
            let row = rows.lowerBound + index
            appendObject(batch, row: row, firstColumn: firstColumn, trailing: try trailing(row), to: &bytes)
        }
    }

    /// Appends a non-null stored cell as the writer's column `index`, read in place.
    private func appendCell(_ cells: some CellRows, row: Int, column: Int, as index: Int, to bytes: inout [UInt8]) {
        cells.withCell(row: row, column: column) { cell in
            switch cell {
            case .null: appendValue(.null, column: index, to: &bytes)
            case .text(let raw):
                let utf8 = raw.assumingMemoryBound(to: UInt8.self)
                if isJSON[index] {
                    bytes.append(contentsOf: utf8)
                } else {
                    JSONValue.appendString(utf8: utf8, to: &bytes)
                }
            case .integer(let integer): appendInteger(integer, column: index, to: &bytes)
            case .boolean(let bool): Self.appendBoolean(bool, to: &bytes)
            case .double(let double): Self.appendDouble(double, to: &bytes)
            }
        }
    }
}
