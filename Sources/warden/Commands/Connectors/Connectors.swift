import ArgumentParser
import Foundation
import Lifecycle
import WardenCore

/// `warden connectors`: create, list, show and delete connectors on a running server, and (on the
/// database itself) re-encrypt their secrets under a new key.
struct Connectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connectors that actions call (see docs/connectors.md), and their secrets' key.",
        subcommands: [Create.self, List.self, Get.self, Delete.self, RotateKey.self]
    )

    static let path = "/api/private/lifecycle_management/connectors"

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a connector from a YAML or JSON file; prints its id.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "A .yaml, .yml or .json file with the connector's members.") var file: String

        func run() async throws {
            let api = try client.client()
            let body = Data(try Policies.read(file).jsonText.utf8)
            let created = try await api.withHTTPClient { try await api.send($0, .POST, api.url(Connectors.path), json: body) }
            guard case .object(let members) = try Policies.decode(created), case .string(let id)? = members["id"] else { return }
            print(id)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connectors (never their secrets).")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let api = try client.client()
            let body = try await api.withHTTPClient { try await api.send($0, .GET, api.url(Connectors.path)) }
            guard case .object(let page) = try Policies.decode(body), case .array(let values)? = page["values"] else { return }
            let rows = values.map { value -> [String] in
                guard case .object(let connector) = value else { return [] }
                return ["id", "name", "type", "base_url", "url", "host"].map { Policies.text(connector[$0]) }
            }
            TextTable.print(header: ["id", "name", "type", "base_url", "url", "host"], rows: rows, noun: "connectors")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a connector (by id or name) as JSON, without its secrets.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The connector's id or name.") var connector: String

        func run() async throws {
            let api = try client.client()
            let body = try await api.withHTTPClient { try await api.send($0, .GET, api.url("\(Connectors.path)/\(Connectors.escaped(connector))")) }
            print(String(decoding: body, as: UTF8.self))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a connector (by id or name).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The connector's id or name.") var connector: String

        func run() async throws {
            let api = try client.client()
            _ = try await api.withHTTPClient { try await api.send($0, .DELETE, api.url("\(Connectors.path)/\(Connectors.escaped(connector))")) }
        }
    }

    static func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

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
