import ArgumentParser
import Lifecycle
import WardenCore

/// `warden connectors`: server-side maintenance of connector secrets, on the database itself.
struct Connectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connector secrets: re-encrypt them under a new key (see docs/connectors.md).",
        subcommands: [RotateKey.self]
    )

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Re-encrypt every connector's secrets under the first key of the key file; the others must still decrypt them.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var secretKey: SecretKeyOptions

        func run() async throws {
            let logger = database.logger("warden")
            let keys = try secretKey.keys(dataDirectory: database.dataDir, createIfMissing: false, logger: logger)
            let db = try await database.open(logger: logger)
            let rotated: Int
            do {
                rotated = try await ConnectorStore(database: db, keys: keys).rotateKeys()
            } catch {
                await db.close()
                throw error
            }
            await db.close()
            print("Re-encrypted the secrets of \(rotated) connector(s) under the key \"\(keys.currentKeyID)\"; every secret is now under it.")
        }
    }
}
