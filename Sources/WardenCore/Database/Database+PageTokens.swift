import Crypto
import Foundation

extension Database {
    /// The signer for this database's page tokens; its secret is created once and kept in the
    /// database, so every instance on it accepts the same tokens.
    public func pageTokenSigner() async throws -> PageTokenSigner {
        let secret = try await setting("page_token_secret") {
            SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hexString
        }
        guard let bytes = Data(hexString: secret) else {
            throw DatabaseError.migration("the stored page token secret is not hexadecimal")
        }
        return PageTokenSigner(secret: bytes)
    }
}
