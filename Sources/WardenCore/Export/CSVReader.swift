import Foundation

/// Reads RFC 4180 CSV: comma-separated cells, double-quoted cells with `""` for a quote, records
/// ending in CRLF or LF. Bytes must be UTF-8.
public enum CSVReader {
    /// Every record of `data`; a final line break does not start an empty record.
    public static func records(_ data: Data) throws(APIError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var line = 1
        var index = data.startIndex
        func endCell() throws(APIError) {
            guard let text = String(validating: cell, as: UTF8.self) else {
                throw .invalidArgument("body", "CSV line \(line) is not valid UTF-8")
            }
            record.append(text)
            cell.removeAll(keepingCapacity: true)
            wasQuoted = false
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
            case UInt8(ascii: "\n"):
                try endCell()
                records.append(record)
                record.removeAll()
                line += 1
            default:
                guard !wasQuoted else {
                    throw .invalidArgument("body", "CSV line \(line): text after a closing quote")
                }
                cell.append(byte)
            }
        }
        if quoted { throw .invalidArgument("body", "CSV line \(line): a quoted cell is not closed") }
        if !cell.isEmpty || wasQuoted || !record.isEmpty {
            try endCell()
            records.append(record)
        }
        return records
    }
}
