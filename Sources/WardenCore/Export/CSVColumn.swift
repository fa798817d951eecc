import NIOCore
import SCIMFilter

/// How a stored column is written as a CSV cell.
public enum CSVColumn: Sendable {
    /// Text as stored (JSON columns too).
    case text
    /// A whole number in decimal.
    case integer
    /// `true` or `false` (SQLite stores 1 and 0).
    case boolean
    /// Nanoseconds since the epoch, written as RFC 3339 in UTC.
    case timestamp

    /// The cell for a stored value; NULL is an empty cell.
    public func cell(_ value: DatabaseValue) -> String {
        switch (self, value) {
        case (_, .null): ""
        case (.timestamp, .integer(let nanoseconds)): Timestamp(nanosecondsSinceEpoch: nanoseconds).rfc3339
        case (.boolean, .integer(let integer)): integer != 0 ? "true" : "false"
        case (_, .boolean(let bool)): bool ? "true" : "false"
        case (_, .integer(let integer)): String(integer)
        case (_, .double(let double)): String(double)
        case (_, .text(let text)): text
        }
    }
}

extension CSVColumn {
    /// Appends the cell for a stored value, the same as `cell(_:)` written through `CSVWriter`,
    /// without building a string for numbers and timestamps.
    func append(_ value: DatabaseValue, to buffer: inout ByteBuffer) {
        switch (self, value) {
        case (_, .null): break
        case (.timestamp, .integer(let nanoseconds)): Self.appendTimestamp(nanoseconds, to: &buffer)
        case (.boolean, .integer(let integer)): Self.appendBoolean(integer != 0, to: &buffer)
        case (_, .boolean(let bool)): Self.appendBoolean(bool, to: &buffer)
        case (_, .integer(let integer)): CSVWriter.appendInteger(integer, to: &buffer)
        case (_, .double(let double)): CSVWriter.appendCell(String(double), to: &buffer)
        case (_, .text(let text)): CSVWriter.appendCell(text, to: &buffer)
        }
    }

    static func appendTimestamp(_ nanoseconds: Int64, to buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 32) { Timestamp(nanosecondsSinceEpoch: nanoseconds).writeRFC3339(into: $0) }
    }

    static func appendBoolean(_ value: Bool, to buffer: inout ByteBuffer) {
        if value { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
    }
}
