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
                    let page = try JSONDecoder().decode(Page.self, from: data)
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
            let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/:"))
            let segments = key.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url(([path] + segments).joined(separator: "/"))) }
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
            let rows = try await api.withHTTPClient { http in
                let created = try JSONDecoder().decode(ValueEnvelope<ExportJob>.self, from: try await api.send(http, .POST, api.url("\(path):export"), json: request)).value
                var job = created
                while job.status == .created || job.status == .processing {
                    try await Task.sleep(for: .milliseconds(200))
                    job = try JSONDecoder().decode(ValueEnvelope<ExportJob>.self, from: try await api.send(http, .GET, api.url("/api/private/lifecycle_management/exports/\(created.id)"))).value
                }
                guard job.status == .finished else {
                    throw ValidationError("the export \(job.id) ended \(job.status.rawValue): \(job.message)")
                }
                let response = try await api.execute(http, .GET, api.url(job.downloadURL))
                try WardenClient.check(response, Data())
                guard FileManager.default.createFile(atPath: out, contents: nil) else {
                    throw ValidationError("cannot create \(out)")
                }
                let file = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
                defer { try? file.close() }
                var progress = ProgressBar(total: Int(job.sizeBytes), unit: "bytes")
                var written = 0
                for try await chunk in response.body {
                    try file.write(contentsOf: chunk.readableBytesView)
                    written += chunk.readableBytes
                    progress.update(written)
                }
                return job.rowCount
            }
            FileHandle.standardError.write(Data("Wrote \(rows) \(plural) to \(out).\n".utf8))
        }
    }

    struct Page: Decodable {
        var values: [Record]
        var nextPageToken: String
        var hasMore: Bool

        enum CodingKeys: String, CodingKey {
            case values
            case nextPageToken = "next_page_token"
            case hasMore = "has_more"
        }
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
            let rows = [Record.tableHeader] + records.map(\.tableRow)
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                Swift.print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
            FileHandle.standardError.write(Data("\(records.count) \(plural)\n".utf8))
        }
    }
}

/// `warden events`: action events.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Action events of the activity log, from a running server.",
        subcommands: [ActivityCommands<ActionEvent>.List.self, ActivityCommands<ActionEvent>.Get.self, ActivityCommands<ActionEvent>.Export.self]
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
