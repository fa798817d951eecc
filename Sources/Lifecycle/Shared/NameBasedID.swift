import Crypto
import Foundation
import WardenCore

/// Ids derived from names: the same name gives the same id on every call and in every process.
enum NameBasedID {
    /// A name-based UUID (SHA-256, version 8) of `parts` joined by NUL.
    static func make(_ parts: String...) -> String {
        var bytes = Array(SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return TimeOrderedID.uuidText(bytes)
    }
}
