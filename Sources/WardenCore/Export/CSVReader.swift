import Foundation
import SCIMFilter

/// Reads RFC 4180 CSV: comma-separated cells, double-quoted cells with `""` for a quote, records
/// ending in CRLF, LF or CR. Bytes must be UTF-8; a leading byte order mark (as spreadsheet
/// programs write) is skipped, and so are blank lines.
public enum CSVReader {
    /// Every record of `data`; a final line break does not start an empty record.
    public static func records(_ data: Data) throws(APIError) -> [[String]] {
        try numberedRecords(data).map(\.cells)
    }

    /// Every record of `data` with the line it starts on, counting from `firstLine` (for a part of
    /// a longer text, so messages name the line in the whole of it).
    public static func numberedRecords(_ data: Data, firstLine: Int = 1) throws(APIError) -> [(line: Int, cells: [String])] {
        var records: [(line: Int, cells: [String])] = []
        var record: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var recordQuoted = false
        var line = firstLine
        var recordLine = firstLine
        var index = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        func endCell() throws(APIError) {
            guard let text = String(validating: cell, as: UTF8.self) else {
                throw .invalidArgument("body", "CSV line \(line) is not valid UTF-8")
            }
            record.append(text)
            cell.removeAll(keepingCapacity: true)
            recordQuoted = recordQuoted || wasQuoted
            wasQuoted = false
        }
        /// Ends the record, unless it is a blank line (one empty, unquoted cell).
        func endRecord() throws(APIError) {
            try endCell()
            if record != [""] || recordQuoted { records.append((recordLine, record)) }
            record.removeAll()
            recordQuoted = false
        }
        while index < data.endIndex {
            let byte = data[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < data.endIndex, data[index] == UInt8(ascii: "\"") {
                        cell.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard cell.isEmpty, !wasQuoted else {
                    throw .invalidArgument("body", "CSV line \(line): a quote inside an unquoted cell; quote the whole cell and double the quote")
                }
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                try endCell()
            case UInt8(ascii: "\r") where index < data.endIndex && data[index] == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try endRecord()
                line += 1
                recordLine = line
            default:
                guard !wasQuoted else {
                    throw .invalidArgument("body", "CSV line \(line): text after a closing quote")
                }
                cell.append(byte)
            }
        }
        if quoted { throw .invalidArgument("body", "CSV line \(line): a quoted cell is not closed") }
        if !cell.isEmpty || wasQuoted || !record.isEmpty { try endRecord() }
        return records
    }

    /// A cell as a JSON value, as imports read it: empty is absent (nil), `true`/`false` a boolean,
    /// a whole number written plainly (no leading zeros or `+`, at most 2^53, what a JSON number
    /// holds exactly) a number, anything else a string.
    public static func jsonValue(ofCell cell: String) -> JSONValue? {
        if cell.isEmpty { return nil }
        if cell == "true" { return .bool(true) }
        if cell == "false" { return .bool(false) }
        if let number = Int64(cell), String(number) == cell, Swift.abs(number) <= 1 << 53 { return .number(Double(number)) }
        return .string(cell)
    }
}
