import Crypto
import Foundation

/// The keys connector secrets are encrypted under (AES-256-GCM): the first encrypts, every one
/// decrypts, and each ciphertext records the id of its key, so keys can be rotated.
public struct SecretKeyRing: Sendable {
    /// One 256-bit key and the id ciphertexts name it by.
    public struct Key: Sendable {
        public let id: String
        /// The key's 32 bytes (`SymmetricKey` is not `Sendable`).
        let bytes: Data

        public init(id: String, bytes: Data) {
            self.id = id
            self.bytes = bytes
        }

        var key: SymmetricKey { SymmetricKey(data: bytes) }
    }

    /// In order; the first encrypts.
    public let keys: [Key]

    /// The id given to a key written without one (a bare base64 line, or `WARDEN_SECRET_KEY` holding only a key).
    public static let unnamedKeyID = "default"
    /// What every sealed secret starts with; the format's version.
    static let prefix = "v1"

    public init(keys: [Key]) throws(SecretKeyError) {
        guard !keys.isEmpty else { throw SecretKeyError("no secret key was given") }
        var seen: Set<String> = []
        for key in keys where !seen.insert(key.id).inserted {
            throw SecretKeyError("the secret key id \"\(key.id)\" appears twice")
        }
        self.keys = keys
    }

    /// Reads keys from text: one per line, `ID:BASE64` or just `BASE64` (id `default`), each the base64
    /// of 32 bytes; blank lines and lines starting with `#` are skipped. `source` names the text in errors.
    public init(parsing text: String, source: String) throws(SecretKeyError) {
        var keys: [Key] = []
        for (number, rawLine) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: ":", maxSplits: 1)
            let (id, encoded) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : (Self.unnamedKeyID, line)
            guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
                throw SecretKeyError("\(source), line \(number + 1): expected ID:BASE64 where BASE64 is 32 bytes (e.g. from `openssl rand -base64 32`)")
            }
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw SecretKeyError("\(source), line \(number + 1): a key id is letters, digits, '-', '_' or '.'")
            }
            keys.append(Key(id: id, bytes: bytes))
        }
        guard !keys.isEmpty else { throw SecretKeyError("\(source) holds no key") }
        try self.init(keys: keys)
    }

    /// A ring of one fresh random key, and its line for a key file.
    public static func generate(id: String) -> (ring: SecretKeyRing, line: String) {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // One key cannot repeat an id.
        return (try! SecretKeyRing(keys: [Key(id: id, bytes: bytes)]), "\(id):\(bytes.base64EncodedString())")
    }

    /// The id of the key that encrypts.
    public var currentKeyID: String { keys[0].id }

    /// `plaintext` encrypted under the first key and bound to `context` (so a ciphertext cannot be
    /// moved to another connector): `v1:KEY_ID:BASE64(nonce, ciphertext, tag)`.
    func seal(_ plaintext: Data, context: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: keys[0].key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SecretKeyError("AES-GCM produced no ciphertext") }
        return "\(Self.prefix):\(keys[0].id):\(combined.base64EncodedString())"
    }

    /// The id of the key `sealed` was encrypted under, or nil when it is not a sealed secret.
    static func keyID(of sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        return parts.count == 3 && parts[0] == prefix ? String(parts[1]) : nil
    }

    /// Decrypts what `seal` made; throws naming the missing key or the failed check.
    func open(_ sealed: String, context: String) throws -> Data {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == Self.prefix, let combined = Data(base64Encoded: String(parts[2])) else {
            throw SecretKeyError("the stored secret is not in Warden's format")
        }
        let id = String(parts[1])
        guard let key = keys.first(where: { $0.id == id }) else {
            throw SecretKeyError("it was encrypted under the key \"\(id)\", which is not among the keys given (\(keys.map(\.id).joined(separator: ", ")))")
        }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key.key, authenticating: Data(context.utf8))
        } catch {
            throw SecretKeyError("it does not decrypt under the key \"\(id)\" given (a different key with the same id?)")
        }
    }
}

/// A problem with the secret keys, in words for the operator.
public struct SecretKeyError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
