import AccessReviews
import ArgumentParser
import Foundation
import SCIMFilter
import WardenCore

/// `warden reviews`: review workflows, certifications and their rows, from a running server.
struct Reviews: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Access reviews: workflows, certifications, result rows and decisions, from a running server.",
        subcommands: [
            CreateWorkflow.self, Create.self, Certifications.self, ReviewImport.self, Results.self, Decide.self, ReviewExport.self,
        ]
    )

    static let base = "/api/preview/awf"

    /// Prints a value as the API's JSON.
    static func printJSON(_ value: some Encodable) throws {
        FileHandle.standardOutput.write(try WireJSON.encoder().encode(value) + Data("\n".utf8))
    }

    struct CreateWorkflow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-workflow", abstract: "Create a review workflow; prints its id.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The workflow's name.") var name: String
        @Option(help: "What it reviews.") var description: String?

        func run() async throws {
            let api = try client.client()
            let body = try JSONSerialization.data(withJSONObject: ["name": name, "description": description ?? ""])
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url("\(base)/workflows"), json: body) }
            print(try JSONDecoder().decode(ValueEnvelope<ReviewWorkflow>.self, from: data).value.workflowID)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty certification of a workflow; prints its id.")

        @OptionGroup var client: ClientOptions
        @Option(help: "The workflow's id.") var workflow: String
        @Option(help: "The certification's name.") var name: String?

        func run() async throws {
            let api = try client.client()
            let body = try JSONSerialization.data(withJSONObject: ["workflow_id": workflow, "name": name ?? ""])
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url("\(base)/certifications"), json: body) }
            print((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["certification_id"] as? String ?? "")
        }
    }

    struct Certifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List certifications, all or one workflow's.")

        @OptionGroup var client: ClientOptions
        @Option(help: "Only this workflow's.") var workflow: String?

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { http in
                try await api.send(http, .GET, api.url("\(base)/certifications", [("page_size", "1000")] + (workflow.map { [("workflow_id", $0)] } ?? [])))
            }
            let page = try JSONDecoder().decode(ListBody<Certification>.self, from: data)
            TextTable.print(
                header: ["certification_id", "name", "workflow_id", "rows", "complete", "created_at"],
                rows: page.values.map {
                    [$0.certificationID, $0.name, $0.workflowID, String($0.totalResultCount), String($0.totalCompleteCount), $0.createdAt.rfc3339]
                },
                noun: "certifications")
        }
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a certification's rows (all pages) matching a filter.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The certification's id.") var certification: String
        @Option(help: "A SCIM filter, e.g. 'source.is_active ne \"true\"'.") var filter: String?
        @Option(help: "e.g. 'source.name asc'.") var orderBy: String?
        @Option(help: "Stop after this many rows.") var limit: Int?
        @Option(help: "table or json.") var output: Output = .table

        enum Output: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() async throws {
            let api = try client.client()
            var rows: [ReviewResult] = []
            var token = ""
            try await api.withHTTPClient { http in
                repeat {
                    var query = [("page_size", "2000")]
                    if let filter { query.append(("filter", filter)) }
                    if let orderBy { query.append(("order_by", orderBy)) }
                    if !token.isEmpty { query.append(("page_token", token)) }
                    let page = try JSONDecoder().decode(ListBody<ReviewResult>.self, from: try await api.send(http, .GET, api.url("\(base)/certifications/\(certification)/results", query)))
                    rows += page.values
                    token = page.hasMore ? page.nextPageToken : ""
                } while !token.isEmpty && rows.count < (limit ?? .max)
            }
            if let limit { rows = Array(rows.prefix(limit)) }
            switch output {
            case .json:
                try printJSON(rows)
            case .table:
                func text(_ object: JSONValue, _ name: String) -> String {
                    guard case .object(let members) = object, let value = members[name] else { return "" }
                    if case .string(let text) = value { return text }
                    return value.jsonText
                }
                TextTable.print(
                    header: ["result_id", "source", "destination", "permissions", "decision", "signed_off", "reviewers"],
                    rows: rows.map { row in
                        [
                            String(row.resultID), text(row.source, "name"), text(row.destination, "name"),
                            row.concretePermissions.joined(separator: ";"), row.decision.rawValue.replacingOccurrences(of: "RESULT_DECISION_", with: ""),
                            row.signedOffState == .signedOff ? "yes" : "", row.reviewers.map(\.email).joined(separator: ";"),
                        ]
                    },
                    noun: "rows")
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a decision, notes or sign-off on one row.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The certification's id.") var certification: String
        @Argument(help: "The row's result_id.") var resultID: Int64
        @Option(help: "NONE, ACCEPTED, REJECTED or FIXED.") var decision: String?
        @Option(help: "Notes (\" \" clears them).") var notes: String?
        @Flag(help: "Sign the row off.") var signOff = false
        @Flag(help: "Use results:force_update (admin): change a signed-off row, or with --undo-sign-off reopen it.") var force = false
        @Flag(help: "With --force, undo the row's sign-off.") var undoSignOff = false

        func validate() throws {
            if decision == nil, notes == nil, !signOff, !undoSignOff { throw ValidationError("give --decision, --notes, --sign-off or --undo-sign-off") }
            if undoSignOff, !force { throw ValidationError("--undo-sign-off needs --force") }
        }

        func run() async throws {
            let api = try client.client()
            var value: [String: Any] = ["result_id": resultID]
            if let decision { value["decision"] = decision }
            if let notes { value["notes"] = notes }
            if signOff { value["signed_off_state"] = "SIGNED_OFF" }
            if undoSignOff { value["signed_off_state"] = "NOT_SIGNED_OFF" }
            let body = try JSONSerialization.data(withJSONObject: ["value": value])
            let path = "\(base)/certifications/\(certification)/results"
            _ = try await api.withHTTPClient { http in
                try await api.send(http, force ? .POST : .PUT, api.url(force ? "\(path):force_update" : path), json: body)
            }
            FileHandle.standardError.write(Data("Updated result \(resultID).\n".utf8))
        }
    }
}
