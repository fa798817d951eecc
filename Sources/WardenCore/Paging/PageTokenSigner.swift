import Crypto
import Foundation
import SCIMFilter

/// Issues and checks opaque keyset page tokens.
///
/// A token carries the last row's sort key and a digest of the list, filter and order it was issued
/// for, and is signed with HMAC-SHA256 under a secret kept in the database, so any Warden instance on
/// the same database accepts it and nobody can forge or alter one.
public struct PageTokenSigner: Sendable {
    private let secret: Data

    public init(secret: Data) {
        self.secret = secret
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    struct Payload: Codable {
        /// Digest of list name, filter and order.
        var b: String
        /// The last row's sort key values.
        var k: [CursorValue]

        /// The payload as `JSONEncoder` would write it, without its per-call cost; `open` reads it
        /// with `JSONDecoder`.
        var jsonText: String {
            "{\"b\":\(JSONValue.string(b).jsonText),\"k\":[\(k.map(\.jsonText).joined(separator: ","))]}"
        }
    }

    /// The digest that binds a token to its list, filter and order.
    static func binding(list: String, filter: String, order: String) -> String {
        let digest = SHA256.hash(data: Data("\(list)\n\(filter)\n\(order)".utf8))
        return Data(digest.prefix(12)).base64URLEncoded()
    }

    func issue(binding: String, cursor: [CursorValue]) -> String {
        let payload = Data(Payload(b: binding, k: cursor).jsonText.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return payload.base64URLEncoded() + "." + Data(mac.prefix(16)).base64URLEncoded()
    }

    func open(_ token: String, binding: String) throws(APIError) -> [CursorValue] {
        let tampered = APIError.invalidArgument("page_token", "page_token is not a token this server issued, or it was altered; request the first page again without page_token")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let payload = Data(base64URLEncoded: String(parts[0])),
              let mac = Data(base64URLEncoded: String(parts[1])),
              mac.count == 16
        else { throw tampered }
        let expected = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        guard constantTimeEquals(Data(expected.prefix(16)), mac),
              let decoded = try? JSONDecoder().decode(Payload.self, from: payload)
        else { throw tampered }
        guard decoded.b == binding else {
            throw .invalidArgument("page_token", "page_token was issued for a different filter or order_by; send the same filter and order_by as for the first page, or drop page_token to start over")
        }
        return decoded.k
    }
}

/// Compares two byte strings in time that depends only on their length.
public func constantTimeEquals(_ lhs: Data, _ rhs: Data) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(lhs, rhs) {
        difference |= a ^ b
    }
    return difference == 0
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    public func base64URLEncoded() -> String {
        var bytes = Array(base64EncodedString().utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "+"): bytes[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes base64url with or without padding.
    public init?(base64URLEncoded text: String) {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
