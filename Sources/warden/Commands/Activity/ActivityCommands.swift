import ActivityLog
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WardenCore

/// `list`, `get` and `export` of one activity log resource, from a running server.
enum ActivityCommands<Record: ActivityCommandRecord> {
    static var path: String { "/api/private/lifecycle_management/\(Record.resource)" }
    static var plural: String { "\(Record.noun)s" }

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    struct List: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "list", abstract: "List \(plural) (all pages) matching a filter.")
        }

        @OptionGroup var client: ClientOptions
        @Option(help: "A SCIM filter, e.g. 'state eq \"ERRORED\"'.") var filter: String?
        @Option(help: "e.g. '\(Record.listSpec.defaultOrder)'.") var orderBy: String?
        @Option(help: "Stop after this many records.") var limit: Int?
        @Option(help: "table, json or csv.") var output: Output = .table

        func run() async throws {
            let api = try client.client()
            var records: [Record] = []
            var token = ""
            try await api.withHTTPClient { http in
                repeat {
                    var query = [("page_size", "1000")] + Record.listQuery
                    if let filter { query.append(("filter", filter)) }
                    if let orderBy { query.append(("order_by", orderBy)) }
                    if !token.isEmpty { query.append(("page_token", token)) }
                    let data = try await api.send(http, .GET, api.url(path, query))
                    let page = try JSONDecoder().decode(ListBody<Record>.self, from: data)
                    records += page.values
                    token = page.hasMore ? page.nextPageToken : ""
                } while !token.isEmpty && records.count < (limit ?? .max)
            }
            if let limit { records = Array(records.prefix(limit)) }
            try ActivityCommands.print(records, as: output)
        }
    }

    struct Get: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: "get", abstract: "Show one \(Record.noun) as JSON.",
                usage: "warden \(Record.commandName) get \(Record.keyArguments.map { $0.split(separator: " ")[0] }.joined(separator: " "))"
            )
        }

        @OptionGroup var client: ClientOptions
        @Argument(help: ArgumentHelp("\(Record.keyArguments.joined(separator: ", then "))")) var key: [String]

        func validate() throws {
            guard key.count == Record.keyArguments.count else {
                throw ValidationError("expected \(Record.keyArguments.count) argument(s): \(Record.keyArguments.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url(recordPath(key))) }
            try ActivityCommands.print([try JSONDecoder().decode(ValueEnvelope<Record>.self, from: data).value], as: .json)
        }
    }

    struct Export: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "export", abstract: "Export matching \(plural) to a CSV file, with a progress bar.")
        }

        @OptionGroup var client: ClientOptions
        @Option(help: "A SCIM filter.") var filter: String?
        @Option(help: "e.g. '\(Record.listSpec.defaultOrder)'.") var orderBy: String?
        @Option(help: "The CSV file to write.") var out: String

        func run() async throws {
            let api = try client.client()
            var body: [String: String] = [:]
            if let filter { body["filter"] = filter }
            if let orderBy { body["order_by"] = orderBy }
            let request = try JSONSerialization.data(withJSONObject: ["body": body, "format": "CSV"])
            let rows = try await api.export(createPath: "\(path):export", body: request, statusPath: "/api/private/lifecycle_management/exports", out: out)
            FileHandle.standardError.write(Data("Wrote \(rows) \(plural) to \(out).\n".utf8))
        }
    }

    /// The path of one record: its key columns percent-encoded as path segments (names may hold spaces, `/` or `:`).
    static func recordPath(_ key: [String]) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/:"))
        return ([path] + key.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }).joined(separator: "/")
    }

    static func print(_ records: [Record], as output: Output) throws {
        switch output {
        case .json:
            let data = records.count == 1 ? try WireJSON.encoder().encode(records[0]) : try WireJSON.encoder().encode(records)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .csv:
            var buffer = ByteBuffer()
            CSVWriter.appendRow(Record.csvHeader, to: &buffer)
            for record in records { CSVWriter.appendRow(record.csvCells, to: &buffer) }
            FileHandle.standardOutput.write(Data(buffer.readableBytesView))
        case .table:
            TextTable.print(header: Record.tableHeader, rows: records.map(\.tableRow), noun: plural)
        }
    }
}

/// `warden events` (or `warden actions`): action events, with retry.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Action events of the activity log, from a running server; retry of an errored action.",
        subcommands: [ActivityCommands<ActionEvent>.List.self, ActivityCommands<ActionEvent>.Get.self, ActivityCommands<ActionEvent>.Export.self, Retry.self],
        aliases: ["actions"]
    )
}

/// `warden jobs`: integration jobs.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Integration jobs of the activity log, from a running server.",
        subcommands: [ActivityCommands<JobEvent>.List.self, ActivityCommands<JobEvent>.Get.self, ActivityCommands<JobEvent>.Export.self]
    )
}

/// `warden lifecycle-events`: the changes made in target systems.
struct LifecycleEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle-events",
        abstract: "Lifecycle events (changes made in target systems), from a running server.",
        subcommands: [
            ActivityCommands<LifecycleEvent>.List.self, ActivityCommands<LifecycleEvent>.Get.self, ActivityCommands<LifecycleEvent>.Export.self,
        ]
    )
}
