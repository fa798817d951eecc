import Crypto
import Foundation

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), PostgreSQL's password authentication.
/// PostgreSQL takes the user from the startup message, so the SCRAM user name is empty, and it
/// offers no channel binding without TLS.
struct PostgresSCRAM {
    let password: String
    let clientNonce: String
    private var clientFirstBare: String { "n=,r=\(clientNonce)" }
    private var expectedServerSignature: Data?

    init(password: String, clientNonce: String = Self.randomNonce()) {
        self.password = password
        self.clientNonce = clientNonce
    }

    /// A fresh 18-byte nonce in base64.
    static func randomNonce() -> String {
        Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// The client-first message.
    var clientFirst: String { "n,," + clientFirstBare }

    /// The client-final message, with its proof, for the server-first message `serverFirst`.
    mutating func clientFinal(serverFirst: String) throws(PostgresError) -> String {
        var attributes: [Character: Substring] = [:]
        for part in serverFirst.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
            attributes[part.first!] = part.dropFirst(2)
        }
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce),
              let saltText = attributes["s"], let salt = Data(base64Encoded: String(saltText)),
              let iterationText = attributes["i"], let iterations = Int(iterationText), iterations > 0
        else {
            throw .protocolViolation("a SCRAM server-first message without a valid nonce, salt or iteration count")
        }
        let saltedPassword = Self.pbkdf2(password: Data(password.utf8), salt: salt, iterations: iterations)
        let key = SymmetricKey(data: saltedPassword)
        let clientKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Client Key".utf8), using: key))
        let storedKey = Data(SHA256.hash(data: clientKey))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Data("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = Data(HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: storedKey)))
        let proof = Data(zip(clientKey, clientSignature).map { $0 ^ $1 })
        let serverKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Server Key".utf8), using: key))
        expectedServerSignature = Data(HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: serverKey)))
        return "\(withoutProof),p=\(proof.base64EncodedString())"
    }

    /// Checks the server-final message: the server proves it knows the password too.
    func verify(serverFinal: String) throws(PostgresError) {
        guard serverFinal.hasPrefix("v="), let signature = Data(base64Encoded: String(serverFinal.dropFirst(2))),
              let expected = expectedServerSignature, signature == expected
        else {
            throw .connection("the server's SCRAM signature does not match; it may not be the server it claims to be")
        }
    }

    /// PBKDF2 with HMAC-SHA-256, one 32-byte block.
    static func pbkdf2(password: Data, salt: Data, iterations: Int) -> Data {
        let key = SymmetricKey(data: password)
        var block = Data(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = block
        for _ in 1..<iterations {
            block = Data(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }
}
