import Foundation
import Logging

extension SecretKeyRing {
    /// The environment variable that may hold the keys, in the key file's format.
    public static let environmentVariable = "WARDEN_SECRET_KEY"
    /// The key file `serve` creates under the data directory when no key is given.
    public static let defaultFileName = "secret.key"

    /// The keys `serve` and `connectors rotate-key` use: from `keyFile` when given, else from
    /// `WARDEN_SECRET_KEY`, else from `<dataDirectory>/secret.key`, which is created (mode 0600, one
    /// fresh key) when `createIfMissing` and it does not exist yet; creating it is logged.
    public static func load(
        keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment, dataDirectory: String,
        createIfMissing: Bool, logger: Logger
    ) throws -> SecretKeyRing {
        if let keyFile {
            return try SecretKeyRing(parsing: try readKeyFile(keyFile), source: keyFile)
        }
        if let text = environment[environmentVariable], !text.isEmpty {
            return try SecretKeyRing(parsing: text.replacingOccurrences(of: ",", with: "\n"), source: environmentVariable)
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(defaultFileName).path
        if FileManager.default.fileExists(atPath: path) {
            return try SecretKeyRing(parsing: try readKeyFile(path), source: path)
        }
        guard createIfMissing else {
            throw SecretKeyError("no secret key: give --secret-key-file or \(environmentVariable), or start `warden serve` once to create \(path)")
        }
        let stamp = Int(Date().timeIntervalSince1970)
        let (ring, line) = generate(id: "k\(stamp)")
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretKeyError("cannot create the secret key file \(path)")
        }
        logger.notice("created the connector secret key file \(path) (mode 0600); back it up: without it, stored connector secrets cannot be read")
        return ring
    }

    private static func readKeyFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SecretKeyError("cannot read the secret key file \(path): \(error.localizedDescription)")
        }
    }
}
