import ArgumentParser
import Lifecycle
import Logging

/// Where the keys for connector secrets are, shared by `serve` and `connectors rotate-key`.
struct SecretKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "File of keys for connector secrets, one per line as ID:BASE64 (32 bytes); the first encrypts, all decrypt.",
        discussion: "Without it, WARDEN_SECRET_KEY (same format, lines or commas), else <data-dir>/secret.key, which serve creates."))
    var secretKeyFile: String?

    /// The key ring; `serve` creates `<dataDirectory>/secret.key` when no key is given and it is missing.
    func keys(dataDirectory: String, createIfMissing: Bool, logger: Logger) throws -> SecretKeyRing {
        do {
            return try SecretKeyRing.load(keyFile: secretKeyFile, dataDirectory: dataDirectory, createIfMissing: createIfMissing, logger: logger)
        } catch let error as SecretKeyError {
            throw ValidationError(error.description)
        }
    }
}
