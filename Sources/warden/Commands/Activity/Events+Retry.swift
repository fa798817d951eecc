import ActivityLog
import ArgumentParser
import Foundation
import WardenCore

extension Events {
    /// `warden actions retry TASK ACTION`: runs one ERRORED action of an ended task again.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an ERRORED action of an ended task again (same idempotency key, a fresh retry budget); prints the task.",
            discussion: "The task becomes PENDING, resumes at that action and goes on with the actions after it.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The workflow task id.") var task: String
        @Argument(help: "The action name (spaces allowed).") var action: String

        func run() async throws {
            let api = try client.client()
            let path = ActivityCommands<ActionEvent>.recordPath([task, action]) + ":retry"
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url(path), json: Data("{}".utf8)) }
            try ActivityCommands<WorkflowTask>.print([try JSONDecoder().decode(ValueEnvelope<WorkflowTask>.self, from: data).value], as: .json)
        }
    }
}
