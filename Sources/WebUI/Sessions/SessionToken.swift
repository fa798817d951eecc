import Crypto
import Foundation

/// Random tokens for sessions, CSRF, OpenID Connect state and nonces, and PKCE verifiers.
enum SessionToken {
    /// 32 random bytes as unpadded base64url (43 characters).
    static func random() -> String {
        base64URL(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
    }

    /// Unpadded base64url, as PKCE and JOSE write it.
    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether two tokens are equal, in time that does not depend on where they differ.
    static func matches(_ presented: String, _ expected: String) -> Bool {
        let left = Array(presented.utf8)
        let right = Array(expected.utf8)
        guard left.count == right.count, !right.isEmpty else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
