import Foundation

/// Ids for rows written in bulk (workflow tasks, jobs, lifecycle events): UUIDs of version 7
/// (RFC 9562), whose first 48 bits are the Unix time in milliseconds and the rest random. Rows
/// written together get neighbouring keys, so an index on the id grows at its end instead of
/// touching a page anywhere in it for every row, which keeps a commit's writes small.
public enum TimeOrderedID {
    /// A new id, lower-case, in the usual 8-4-4-4-12 form.
    public static func make(now: Date = Date()) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        withUnsafeBytes(of: random) { raw in
            for index in 0..<16 { bytes[index] = raw[index] }
        }
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1_000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return uuidText(bytes)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Sixteen bytes as a UUID's text: lower-case hex in the 8-4-4-4-12 form.
    public static func uuidText(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
