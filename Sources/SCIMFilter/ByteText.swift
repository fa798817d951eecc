/// String operations on UTF-8 bytes, with the semantics of SQLite's BINARY collation and
/// PostgreSQL's `"C"` collation: no Unicode normalisation, and case folding of ASCII letters only
/// (A-Z to a-z, as SQLite's `lower()` and PostgreSQL's `lower(x COLLATE "C")` do).
enum ByteText {
    /// `text` with ASCII letters A-Z lowered to a-z; every other character unchanged.
    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) else { return text }
        return String(decoding: text.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    static func equal(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        return bytes(left) { left in bytes(right) { right in left.elementsEqual(right) } }
    }

    static func equalIgnoringASCIICase(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        return bytes(left) { left in
            bytes(right) { right in left.elementsEqual(right) { $0.asciiLowercased == $1.asciiLowercased } }
        }
    }

    /// Byte-wise lexicographic order, as `memcmp` then length.
    static func less(_ left: String, _ right: String) -> Bool {
        bytes(left) { left in bytes(right) { right in left.lexicographicallyPrecedes(right) } }
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        bytes(text) { text in bytes(prefix) { prefix in text.starts(with: prefix) } }
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        bytes(text) { text in
            bytes(suffix) { suffix in
                suffix.count <= text.count && text[(text.count - suffix.count)...].elementsEqual(suffix)
            }
        }
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        bytes(text) { haystack in
            bytes(needle) { needle in
                guard let first = needle.first else { return true }
                guard needle.count <= haystack.count else { return false }
                for start in 0...(haystack.count - needle.count)
                where haystack[start] == first && haystack[start..<(start + needle.count)].elementsEqual(needle) {
                    return true
                }
                return false
            }
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, without copying them when they are contiguous.
    private static func bytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }
}
