import ActivityLog
import Foundation
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

@Suite struct WorkflowTaskRoutesTests {
    static let path = "/api/private/lifecycle_management/workflow_tasks"

    @Test(arguments: TestDatabase.kinds)
    func listByPolicyAndGet(kind: DatabaseKind) async throws {
        try await ActivityFixtures.seeded(kind) { server, tasks in
            let example = TestServer.uri(Self.path, [("filter", #"state eq "ERRORED" and policy_id eq "\#(tasks[0].task.policyID)""#), ("page_size", "1000")])
            let errored = try await server.request(.get, example)
            #expect(errored.status == .ok, "\(errored.text)")
            let expected = tasks.filter { $0.task.state == .errored && $0.task.policyID == tasks[0].task.policyID }.map(\.task.id)
            #expect(Set((errored.json["values"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == Set(expected))

            let policy = tasks[0].task.policyID
            let byPolicy = try await server.request(.get, "/api/private/lifecycle_management/policies/\(policy)/workflow_tasks?page_size=1000")
            let ids = (byPolicy.json["values"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(ids) == Set(tasks.filter { $0.task.policyID == policy }.map(\.task.id)))

            let task = tasks[3].task
            let got = try await server.request(.get, "\(Self.path)/\(task.id)")
            #expect(got.status == .ok)
            let value = try JSONDecoder().decode(ValueEnvelope<WorkflowTask>.self, from: Data(buffer: got.body)).value
            #expect(value == task)
            try await server.request(.get, "\(Self.path)/nope").expectEnvelope(status: 404, code: "NotFound")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func restartQueuesANewTaskForErroredOrCompletedOnly(kind: DatabaseKind) async throws {
        try await ActivityFixtures.seeded(kind) { server, tasks in
            let errored = try #require(tasks.first { $0.task.state == .errored }).task
            let operatorKey = try await server.key(.operator)
            let restarted = try await server.request(.post, "\(Self.path)/\(errored.id):restart", key: operatorKey)
            #expect(restarted.status == .ok, "\(restarted.text)")
            let task = try JSONDecoder().decode(ValueEnvelope<WorkflowTask>.self, from: Data(buffer: restarted.body)).value
            #expect(task.id != errored.id && task.previousTaskID == errored.id)
            #expect(task.state == .pending && task.manuallyTriggered && task.manuallyTriggeredBy == "test-operator")
            #expect(task.identityID == errored.identityID && task.workflow == errored.workflow)
            let listed = try await server.request(.get, TestServer.uri(Self.path, [("filter", #"previous_task_id eq "\#(errored.id)""#)]))
            #expect((listed.json["values"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == [task.id])

            let pending = try await server.request(.post, "\(Self.path)/\(task.id):restart").expectEnvelope(status: 400, code: "FailedPrecondition")
            #expect(pending.contains("PENDING") && pending.contains("ERRORED or COMPLETED"))
            try await server.request(.post, "\(Self.path)/nope:restart").expectEnvelope(status: 404, code: "NotFound")
            let viewer = try await server.key(.viewer)
            try await server.request(.post, "\(Self.path)/\(errored.id):restart", key: viewer).expectEnvelope(status: 403, code: "PermissionDenied")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func unblockRunsOrAbandonsBlockedTasksOnly(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            var tasks = ActivityFixtures.tasks(6)
            for index in 0..<4 {
                tasks[index].task.state = .blocked
                tasks[index].task.runtimeChangeLimitReached = true
            }
            try await ActivityFixtures.write(tasks, to: server.database)
            let ids = tasks.map(\.task.id)

            let run = try await server.request(.post, "\(Self.path):unblock", json: #"{"task_ids": ["\#(ids[0])", "\#(ids[1])", "\#(ids[0])", "\#(ids[5])", "nope"], "action": "RUN"}"#)
            #expect(run.status == .ok, "\(run.text)")
            let result = try JSONDecoder().decode(ValueEnvelope<UnblockResult>.self, from: Data(buffer: run.body)).value
            #expect(result.updatedTaskIDs == [ids[0], ids[1]])
            #expect(result.skipped.map(\.id) == [ids[5], "nope"])
            #expect(result.skipped[0].reason.contains("not BLOCKED"))

            let abandon = try await server.request(.post, "\(Self.path):unblock", json: #"{"task_ids": ["\#(ids[2])", "\#(ids[0])"], "action": 1}"#)
            let abandoned = try JSONDecoder().decode(ValueEnvelope<UnblockResult>.self, from: Data(buffer: abandon.body)).value
            #expect(abandoned.updatedTaskIDs == [ids[2]])

            func state(_ id: String) async throws -> String? {
                (try await server.request(.get, "\(Self.path)/\(id)").json["value"] as? [String: Any])?["state"] as? String
            }
            #expect(try await state(ids[0]) == "PENDING")
            #expect(try await state(ids[2]) == "ABANDONED")
            #expect(try await state(ids[3]) == "BLOCKED")

            let bad: [(String, [String])] = [
                (#"{"task_ids": [], "action": "RUN"}"#, ["task_ids", "empty"]),
                (#"{"task_ids": ["a"], "action": "PAUSE"}"#, ["action", "PAUSE"]),
                (#"{"task_ids": ["a"]}"#, ["action", "required"]),
                (#"{"action": "RUN"}"#, ["task_ids", "required"]),
                (#"{"task_ids": \#(Array(repeating: "\"a\"", count: 1_001))}"#.replacingOccurrences(of: "[\"", with: "[\"").replacingOccurrences(of: "\"]", with: "\"], \"action\": \"RUN\""), ["1000"]),
            ]
            for (body, words) in bad {
                let message = try await server.request(.post, "\(Self.path):unblock", json: body).expectEnvelope(status: 400, code: "InvalidArgument")
                for word in words {
                    #expect(message.localizedCaseInsensitiveContains(word), "\(body.prefix(80)): \(message)")
                }
            }
            let viewer = try await server.key(.viewer)
            try await server.request(.post, "\(Self.path):unblock", key: viewer, json: #"{"task_ids": ["a"], "action": "RUN"}"#).expectEnvelope(status: 403, code: "PermissionDenied")
        }
    }
}
