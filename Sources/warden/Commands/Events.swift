import ActivityLog
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WardenCore

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Action events of the activity log, from a running server.",
        subcommands: [List.self, Get.self, Export.self]
    )

    static let path = "/api/private/lifecycle_management/action_events"

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List action events (all pages) matching a filter.")

        @OptionGroup var client: ClientOptions
        @Option(help: "A SCIM filter, e.g. 'state eq \"ERRORED\"'.") var filter: String?
        @Option(help: "e.g. 'started_at desc'.") var orderBy: String?
        @Option(help: "Stop after this many events.") var limit: Int?
        @Option(help: "table, json or csv.") var output: Output = .table

        func run() async throws {
            let api = try client.client()
            var events: [ActionEvent] = []
            var token = ""
            try await api.withHTTPClient { http in
                repeat {
                    var query = [("page_size", "1000")]
                    if let filter { query.append(("filter", filter)) }
                    if let orderBy { query.append(("order_by", orderBy)) }
                    if !token.isEmpty { query.append(("page_token", token)) }
                    let data = try await api.send(http, .GET, api.url(Events.path, query))
                    let page = try JSONDecoder().decode(Page.self, from: data)
                    events += page.values
                    token = page.hasMore ? page.nextPageToken : ""
                } while !token.isEmpty && events.count < (limit ?? .max)
            }
            if let limit { events = Array(events.prefix(limit)) }
            try Events.print(events, as: output)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one action event as JSON.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The workflow task id (policy_task).") var task: String
        @Argument(help: "The action name, as shown (spaces allowed).") var action: String

        func run() async throws {
            let api = try client.client()
            let name = action.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? action
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url("\(Events.path)/\(task)/\(name)")) }
            let value = try JSONDecoder().decode(ValueEnvelope<ActionEvent>.self, from: data).value
            try Events.print([value], as: .json)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export matching action events to a CSV file, with a progress bar.")

        @OptionGroup var client: ClientOptions
        @Option(help: "A SCIM filter.") var filter: String?
        @Option(help: "e.g. 'started_at desc'.") var orderBy: String?
        @Option(help: "The CSV file to write.") var out: String

        func run() async throws {
            let api = try client.client()
            var body: [String: String] = [:]
            if let filter { body["filter"] = filter }
            if let orderBy { body["order_by"] = orderBy }
            let request = try JSONSerialization.data(withJSONObject: ["body": body, "format": "CSV"])
            let rows = try await api.withHTTPClient { http in
                let created = try JSONDecoder().decode(ValueEnvelope<ExportJob>.self, from: try await api.send(http, .POST, api.url("\(Events.path):export"), json: request)).value
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
                FileManager.default.createFile(atPath: out, contents: nil)
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
            FileHandle.standardError.write(Data("Wrote \(rows) action events to \(out).\n".utf8))
        }
    }

    struct Page: Decodable {
        var values: [ActionEvent]
        var nextPageToken: String
        var hasMore: Bool

        enum CodingKeys: String, CodingKey {
            case values
            case nextPageToken = "next_page_token"
            case hasMore = "has_more"
        }
    }

    static func print(_ events: [ActionEvent], as output: Output) throws {
        switch output {
        case .json:
            let data = try WireJSON.encoder().encode(events.count == 1 ? AnyEncodable(events[0]) : AnyEncodable(events))
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .csv:
            var buffer = ByteBuffer()
            CSVWriter.appendRow(ActionEvent.csvHeader, to: &buffer)
            for event in events { CSVWriter.appendRow(event.csvCells, to: &buffer) }
            FileHandle.standardOutput.write(Data(buffer.readableBytesView))
        case .table:
            let rows = [["STARTED", "STATE", "TYPE", "WORKFLOW", "IDENTITY", "ACTION", "MESSAGE"]] + events.map {
                [$0.startedAt?.rfc3339 ?? "-", $0.state.rawValue, $0.actionType.rawValue, $0.workflowName, $0.identityName, $0.actionName, String($0.message.prefix(60))]
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                Swift.print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
            FileHandle.standardError.write(Data("\(events.count) action events\n".utf8))
        }
    }
}

/// Encodes any Encodable value (one event, or a list).
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
