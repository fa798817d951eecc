import ArgumentParser
import AsyncHTTPClient
import Foundation
import Lifecycle
import NIOConcurrencyHelpers
import NIOCore
import SCIMFilter
import WardenCore

/// `warden sources`: identity sources on a running server.
struct Sources: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Create and list identity sources (HR systems, directories).", subcommands: [Create.self, List.self])

    static let path = "/api/private/lifecycle_management/identity_sources"

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an identity source and print its id.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Its name, unique among sources.") var name: String
        @Option(help: "The attribute holding an identity's id in the source.") var idAttribute: String = "id"
        @Option(help: "The attribute naming an identity.") var nameAttribute: String = "name"
        @Option(help: "What its identities are called in the activity log.") var entityType: String = "Identity"
        @Option(help: "A description.") var description: String = ""

        func run() async throws {
            let api = try client.client()
            let input = IdentitySource.Input(name: name, description: description, entityType: entityType, idAttribute: idAttribute, nameAttribute: nameAttribute)
            let body = try await api.withHTTPClient { try await api.send($0, .POST, api.url(Sources.path), json: try WireJSON.encoder().encode(input)) }
            let created = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            print(created?["id"] as? String ?? "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identity sources.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let api = try client.client()
            let body = try await api.withHTTPClient { try await api.send($0, .GET, api.url(Sources.path)) }
            let sources = try WireJSON.decoder().decode(ListBody<IdentitySource>.self, from: body).values
            TextTable.print(
                header: ["id", "name", "entity_type", "id_attribute", "active_identities"],
                rows: sources.map { [$0.id, $0.name, $0.entityType, $0.idAttribute, String($0.activeIdentityCount)] }, noun: "sources")
        }
    }
}

/// `warden identities`: import, list and show identities on a running server.
struct Identities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identities", abstract: "Import, list and show identities.", subcommands: [Import.self, List.self, Get.self])

    static let path = "/api/private/lifecycle_management/identities"

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case full, incremental
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV, NDJSON or JSON file of identities into a source (an extraction event), with a progress bar.",
            discussion: "full: the file is the whole source, and identities absent from it have left. incremental: new and changed identities only.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The file: .csv (a header row of attribute names), .ndjson/.jsonl, or .json (an array).") var file: String
        @Option(help: "The source's name or id.") var source: String
        @Option(help: "full or incremental.") var mode: Mode

        func run() async throws {
            let api = try client.client()
            let size = try FileChunks.size(of: file)
            let progress = NIOLockedValueBox(ProgressBar(total: size, unit: "bytes"))
            let upload = try FileChunks(path: file) { sent in progress.withLockedValue { $0.update(sent) } }
            let target = api.url("\(Sources.path)/\(source.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? source)/identities:import", [("mode", mode.rawValue)])
            let body = try await api.withHTTPClient { http in
                var request = HTTPClientRequest(url: target)
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(api.token)")
                request.headers.add(name: "Content-Type", value: FileChunks.contentType(of: file))
                request.body = .stream(upload, length: .known(Int64(size)))
                let response = try await http.execute(request, timeout: .minutes(60))
                var buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
                let data = buffer.readData(length: buffer.readableBytes) ?? Data()
                try WardenClient.check(response, data)
                return data
            }
            let event = try WireJSON.decoder().decode(ValueEnvelope<ExtractionEvent>.self, from: body).value
            print("extraction event \(event.id): \(event.message)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identities (all pages) matching a filter.")
        @OptionGroup var client: ClientOptions
        @Option(help: "A SCIM filter, e.g. 'active eq true and name sw \"A\"'.") var filter: String?
        @Option(help: "Stop after this many identities.") var limit: Int?

        func run() async throws {
            let api = try client.client()
            var identities: [Identity] = []
            var token = ""
            try await api.withHTTPClient { http in
                repeat {
                    var query = [("page_size", "1000")]
                    if let filter { query.append(("filter", filter)) }
                    if !token.isEmpty { query.append(("page_token", token)) }
                    let page = try WireJSON.decoder().decode(ListBody<Identity>.self, from: try await api.send(http, .GET, api.url(Identities.path, query)))
                    identities += page.values
                    token = page.hasMore ? page.nextPageToken : ""
                } while !token.isEmpty && identities.count < (limit ?? .max)
            }
            TextTable.print(
                header: ["id", "entity_id", "name", "active", "updated_at"],
                rows: identities.prefix(limit ?? .max).map { [$0.id, $0.entityID, $0.name, String($0.active), $0.updatedAt.rfc3339] }, noun: "identities")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one identity, with its history, as JSON.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The identity's id.") var id: String

        func run() async throws {
            let api = try client.client()
            let body = try await api.withHTTPClient { try await api.send($0, .GET, api.url("\(Identities.path)/\(id)")) }
            print(String(decoding: body, as: UTF8.self))
        }
    }
}
