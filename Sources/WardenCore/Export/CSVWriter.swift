import NIOCore

/// Writes RFC 4180 CSV: CRLF line ends, cells quoted when they hold a comma, quote, CR or LF.
///
/// A cell that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so that spreadsheet
/// programs do not run it as a formula.
public enum CSVWriter {
    /// Appends one row to `buffer`.
    public static func appendRow(_ cells: [String], to buffer: inout ByteBuffer) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            appendCell(cell, to: &buffer)
        }
        buffer.writeStaticString("\r\n")
    }

    static func appendCell(_ cell: String, to buffer: inout ByteBuffer) {
        let utf8 = cell.utf8
        let guarded = switch utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        if !needsQuotes && !guarded {
            buffer.writeString(cell)
            return
        }
        if needsQuotes { buffer.writeInteger(UInt8(ascii: "\"")) }
        if guarded { buffer.writeInteger(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { buffer.writeInteger(byte) }
                buffer.writeInteger(byte)
            }
            buffer.writeInteger(UInt8(ascii: "\""))
        } else {
            buffer.writeString(cell)
        }
    }
}
