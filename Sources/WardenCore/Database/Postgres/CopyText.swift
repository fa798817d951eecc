import NIOCore

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: tab-separated cells, `\N` for
/// NULL, and backslash escapes for backslash, newline, carriage return and tab.
enum CopyText {
    /// The size past which the rows gathered so far are sent as one CopyData message: the server
    /// reads a message whole before parsing it.
    static let messageSize = 256 * 1024

    /// Appends one row and its newline.
    static func appendRow(_ row: [DatabaseValue], to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .integer(let integer): buffer.writeString(String(integer))
            case .double(let double) where double.isNaN: buffer.writeStaticString("NaN")
            case .double(let double) where double.isInfinite: buffer.writeString(double < 0 ? "-Infinity" : "Infinity")
            case .double(let double): buffer.writeString(String(double))
            case .boolean(let bool): buffer.writeStaticString(bool ? "t" : "f")
            case .text(let text): appendEscaped(text, to: &buffer)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// `text` with the four bytes COPY's text format escapes escaped.
    private static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let escaped: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                default: continue
                }
                buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                buffer.writeBytes([UInt8(ascii: "\\"), escaped])
                start = index + 1
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}
