import ArgumentParser
import Foundation
import Lifecycle
import SCIMFilter
import WardenCore

/// `warden policies`: create policies from YAML or JSON files, publish versions, change states and
/// test a policy against an identity, on a running server.
struct Policies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lifecycle policies: create from a YAML or JSON file, get, list, publish, pause, resume, dry-run, and test against an identity.",
        subcommands: [Create.self, Get.self, List.self, Publish.self, Pause.self, Resume.self, DryRun.self, Test.self]
    )

    static let base = "/api/private/lifecycle_management/policies"

    /// The JSON answer as a value.
    static func decode(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Reads a policy (or identity) file: YAML or JSON by extension or content.
    static func read(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return try PolicyFile.body(from: data, fileName: path)
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: Int64(exactly: number).map(String.init) ?? "\(number)"
        case .bool(let flag)?: String(flag)
        case .array(let elements)?: elements.map { text($0) }.joined(separator: ",")
        case nil, .null?: ""
        case let other?: other.jsonText
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a policy from a file (the create body plus config); prints its id. Every problem of the file is listed at once.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "A .yaml, .yml or .json file.") var file: String
        @Flag(help: "Publish its first version at once.") var publish = false

        func run() async throws {
            let api = try client.client()
            let body = Data(try Policies.read(file).jsonText.utf8)
            let id = try await api.withHTTPClient { http in
                let created = try Policies.decode(try await api.send(http, .POST, api.url(base), json: body))
                guard case .object(let members) = created, case .string(let id)? = members["id"] else { return "" }
                if publish {
                    _ = try await api.send(http, .POST, api.url("\(base)/\(id)/versions/1:publish"))
                }
                return id
            }
            print(id)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a policy with its live version.")

        enum Output: String, ExpressibleByArgument, CaseIterable {
            case yaml, json
        }

        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        @Option(help: "yaml or json.") var output: Output = .yaml

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url("\(base)/\(id)")) }
            guard case .object(let envelope) = try Policies.decode(data), let policy = envelope["value"] else { return }
            switch output {
            case .yaml: print(try PolicyFile.yaml(policy), terminator: "")
            case .json: print(String(decoding: try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(policy.jsonText.utf8)), options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the policies.")

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let api = try client.client()
            let data = try await api.withHTTPClient { try await api.send($0, .GET, api.url(base)) }
            guard case .object(let page) = try Policies.decode(data), case .array(let values)? = page["values"] else { return }
            TextTable.print(
                header: ["id", "name", "state", "live", "draft", "datasource_ids"],
                rows: values.map { value in
                    guard case .object(let policy) = value else { return [] }
                    return ["id", "name", "state", "current_version_number", "draft_version_number", "datasource_ids"].map { Policies.text(policy[$0]) }
                },
                noun: "policies")
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish a draft version (the policy's draft unless --version); the live one is retired.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        @Option(help: "The version to publish.") var version: Int?

        func run() async throws {
            let api = try client.client()
            let number = try await api.withHTTPClient { http in
                var number = version ?? 0
                if number == 0 {
                    guard case .object(let envelope) = try Policies.decode(try await api.send(http, .GET, api.url("\(base)/\(id)"))),
                        case .object(let policy)? = envelope["value"], case .number(let draft)? = policy["draft_version_number"], draft > 0
                    else {
                        throw ValidationError("policy \(id) has no draft to publish; create one with POST .../versions:create_draft")
                    }
                    number = Int(draft)
                }
                _ = try await api.send(http, .POST, api.url("\(base)/\(id)/versions/\(number):publish"))
                return number
            }
            print("published version \(number) of \(id)")
        }
    }

    /// Sets a policy's state.
    static func setState(_ state: String, of id: String, _ client: ClientOptions) async throws {
        let api = try client.client()
        let body = Data(#"{"state": "\#(state)"}"#.utf8)
        _ = try await api.withHTTPClient { try await api.send($0, .PATCH, api.url("\(base)/\(id)"), json: body) }
        print("policy \(id) is \(state)")
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a policy: no change triggers it until it is resumed.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        func run() async throws { try await Policies.setState("PAUSED", of: id, client) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a policy (RUNNING): changes trigger its live version's workflows.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        func run() async throws { try await Policies.setState("RUNNING", of: id, client) }
    }

    struct DryRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a policy in DRY_RUN: workflows are evaluated and recorded, no target is called.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        func run() async throws { try await Policies.setState("DRY_RUN", of: id, client) }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a change of one identity would trigger and each action's rendered settings. Changes nothing.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The policy's id.") var id: String
        @Option(help: "An identity of the policy's sources.") var identityID: String?
        @Option(help: "A YAML or JSON file holding {id, name, attributes}.") var identity: String?
        @Option(help: "JOINED, CHANGED or LEFT.") var change = "JOINED"
        @Option(help: "For CHANGED: an attribute that changed (repeatable).") var changedAttribute: [String] = []
        @Option(help: "The version to test (default the live one, else the draft).") var version: Int?

        func validate() throws {
            guard (identityID == nil) != (identity == nil) else { throw ValidationError("give exactly one of --identity-id and --identity") }
        }

        func run() async throws {
            let api = try client.client()
            var body: [String: JSONValue] = ["change": .string(change), "changed_attributes": .array(changedAttribute.map(JSONValue.string))]
            if let identityID { body["identity_id"] = .string(identityID) }
            if let identity { body["identity"] = try Policies.read(identity) }
            if let version { body["version_number"] = .number(Double(version)) }
            let json = Data(JSONValue.object(body).jsonText.utf8)
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url("\(base)/\(id):test"), json: json) }
            guard case .object(let envelope) = try Policies.decode(data), case .object(let result)? = envelope["value"] else { return }
            if case .array(let messages)? = result["messages"] {
                for message in messages { print(Policies.text(message)) }
            }
            print("workflows matched: \(Policies.text(result["workflows_matched"]))")
            guard case .array(let actions)? = result["actions"] else { return }
            TextTable.print(
                header: ["workflow", "action", "type", "skipped", "rendered / error"],
                rows: actions.map { action in
                    guard case .object(let members) = action else { return [] }
                    let outcome = members["error"].map { "error: \(Policies.text($0))" } ?? Policies.text(members["rendered"])
                    return [Policies.text(members["workflow"]), Policies.text(members["name"]), Policies.text(members["type"]), Policies.text(members["skipped"]), outcome]
                },
                noun: "actions")
        }
    }
}
