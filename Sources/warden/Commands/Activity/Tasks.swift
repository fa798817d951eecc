import ActivityLog
import ArgumentParser
import Foundation
import WardenCore

/// `warden tasks`: workflow tasks, with restart and unblock.
struct Tasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Workflow tasks (triggered workflows) of the activity log, from a running server.",
        subcommands: [
            ActivityCommands<WorkflowTask>.List.self, ActivityCommands<WorkflowTask>.Get.self, ActivityCommands<WorkflowTask>.Export.self,
            Restart.self, Unblock.self,
        ]
    )

    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a new run of an ERRORED or COMPLETED task; prints the new task.")

        @OptionGroup var client: ClientOptions
        @Argument(help: "The workflow task id.") var id: String

        func run() async throws {
            let api = try client.client()
            let path = "\(ActivityCommands<WorkflowTask>.path)/\(id):restart"
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url(path), json: Data("{}".utf8)) }
            try ActivityCommands<WorkflowTask>.print([try JSONDecoder().decode(ValueEnvelope<WorkflowTask>.self, from: data).value], as: .json)
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run or abandon BLOCKED tasks.")

        @OptionGroup var client: ClientOptions
        @Flag(help: "Abandon the tasks instead of running them.") var abandon = false
        @Argument(help: "The BLOCKED tasks' ids.") var ids: [String]

        func run() async throws {
            let api = try client.client()
            let body = try WireJSON.encoder().encode(UnblockRequest(taskIDs: ids, action: abandon ? .abandon : .run))
            let path = "\(ActivityCommands<WorkflowTask>.path):unblock"
            let data = try await api.withHTTPClient { try await api.send($0, .POST, api.url(path), json: body) }
            let result = try JSONDecoder().decode(ValueEnvelope<UnblockResult>.self, from: data).value
            print("\(abandon ? "Abandoned" : "Unblocked") \(result.updatedTaskIDs.count) task(s).")
            for skipped in result.skipped {
                print("skipped \(skipped.id): \(skipped.reason)")
            }
        }
    }
}
