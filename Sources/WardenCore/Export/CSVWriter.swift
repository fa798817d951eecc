import NIOCore

/// Writes RFC 4180 CSV: CRLF line ends, cells quoted when they hold a comma, quote, CR or LF.
///
/// A cell that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so that spreadsheet
/// programs do not run it as a formula, unless it is a plain number (`-5`, `+7`, `-0.25`, `-1e-3`),
/// which a spreadsheet reads as that number.
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
        var cell = cell
        cell.withUTF8 { appendCell(UnsafeRawBufferPointer($0), to: &buffer) }
    }

    /// Appends one cell given as UTF-8 bytes, guarded and quoted by the same rules.
    static func appendCell(_ bytes: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) {
        let guarded = switch bytes.first {
        case UInt8(ascii: "+"), UInt8(ascii: "-"): !isPlainNumber(bytes)
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        if needsQuotes { buffer.writeInteger(UInt8(ascii: "\"")) }
        if guarded { buffer.writeInteger(UInt8(ascii: "'")) }
        if needsQuotes {
            var start = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...index]))
                start = index
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...]))
            buffer.writeInteger(UInt8(ascii: "\""))
        } else {
            buffer.writeBytes(bytes)
        }
    }

    /// Whether `bytes` are a plain decimal number: an optional sign, ASCII digits, an optional
    /// fraction (`.` and digits) and an optional exponent (`e` or `E`, an optional sign, digits).
    static func isPlainNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        func skipSign() {
            _ = skip(UInt8(ascii: "+")) || skip(UInt8(ascii: "-"))
        }
        func skipDigits() -> Bool {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index > start
        }
        skipSign()
        guard skipDigits() else { return false }
        if skip(UInt8(ascii: ".")), !skipDigits() { return false }
        if skip(UInt8(ascii: "e")) || skip(UInt8(ascii: "E")) {
            skipSign()
            guard skipDigits() else { return false }
        }
        return index == bytes.count
    }

    /// Appends a whole number in decimal; a plain number, so a negative one is not guarded.
    static func appendInteger(_ value: Int64, to buffer: inout ByteBuffer) {
        value.withDecimalText { buffer.writeBytes($0) }
    }
}
