import Foundation
import HummingbirdTesting
import Lifecycle
import NIOCore
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// The runner against a real HTTP receiver: joiners run their actions, retries back off and apply
/// once, a target down past the budget leaves the action ERRORED until `:retry`, and DRY_RUN,
/// PAUSE and restart do what they say.
@Suite struct RunnerTests {
    static let prefix = "/api/private/lifecycle_management"

    struct Setup {
        var source: String
        var policy: String
    }

    /// A source, a REST connector to `receiver` with a secret header, and a policy whose Joiner
    /// workflow creates an account, then sends a welcome to the account the first call created.
    static func setUp(
        _ server: TestServer, receiver: String, state: String = "RUNNING", retryCount: Int = 10, pause: String? = nil
    ) async throws -> Setup {
        let source = try await IdentityImportTests.createSource(server)
        let connector = try await server.request(.post, "\(prefix)/connectors", json: """
            {"name": "hr-app", "type": "REST", "base_url": "\(receiver)/api", "secret_headers": {"Authorization": "Bearer s3cret"}}
            """)
        #expect(connector.status == .ok, "\(connector.text)")
        let pauseAction = pause.map { #", {"name": "cool off", "type": "PAUSE", "config": {"duration": "\#($0)"}}"# } ?? ""
        let pauseStep = pause == nil ? "" : #"{"name": "cool off"}, "#
        let body = """
            {"name": "Joiners", "datasource_ids": ["\(source)"], "retry_count": \(retryCount),
             "config": {
               "workflows": [{"name": "Joiner", "trigger": {"changes": ["JOINED"]},
                              "conditions_on_success": [{"name": "all", "condition_type": "ANY",
                                                         "actions_to_run": [\(pauseStep){"name": "create"}, {"name": "welcome"}]}]}],
               "actions": [
                 {"name": "create", "type": "SEND_REST_PAYLOAD",
                  "config": {"connector": "hr-app", "method": "POST", "path": "/users",
                             "body": {"employee": "{employee_id}", "email": "{email | UPPER}", "department": "{department}"}}},
                 {"name": "welcome", "type": "CUSTOM_ACTION",
                  "config": {"connector": "hr-app", "method": "PUT", "path": "/users/{actions.create.id}/welcome",
                             "body": {"name": "{display_name}"}}}\(pauseAction)
               ]}}
            """
        let created = try await server.request(.post, "\(prefix)/policies", json: body)
        #expect(created.status == .ok, "\(created.text)")
        let policy = created.json["id"] as? String ?? ""
        #expect(try await server.request(.post, "\(prefix)/policies/\(policy)/versions/1:publish").status == .ok)
        let changed = try await server.request(.patch, "\(prefix)/policies/\(policy)", json: #"{"state": "\#(state)"}"#)
        #expect(changed.status == .ok, "\(changed.text)")
        return Setup(source: source, policy: policy)
    }

    /// The tasks in `state`, once there are `count` of them (or 60 s have passed, for a loaded machine).
    static func tasks(_ server: TestServer, state: String, count: Int) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(60)
        var tasks: [[String: Any]] = []
        repeat {
            tasks = try await TaskPlannerTests.tasks(server, #"state eq "\#(state)""#)
            if tasks.count >= count { return tasks }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        return tasks
    }

    static func list(_ server: TestServer, _ resource: String, _ filter: String) async throws -> [[String: Any]] {
        let query = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try await server.request(.get, "\(prefix)/\(resource)?page_size=1000&filter=\(query)")
        #expect(response.status == .ok, "\(response.text)")
        return response.json["values"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.kinds)
    func joinersRunTheirActionsAndTheLogSaysSo(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url)
                _ = try await IdentityImportTests.imported(server, source: setup.source, IdentityImportTests.joiners)
                let completed = try await Self.tasks(server, state: "COMPLETED", count: 3)
                #expect(completed.count == 3)
                let applied = receiver.applied
                #expect(applied.count == 6)
                let ids = Set(completed.compactMap { $0["id"] as? String })
                #expect(Set(applied.map(\.key)) == Set(ids.flatMap { ["\($0):create", "\($0):welcome"] }))
                let grace = try #require(completed.first { $0["identity_name"] as? String == "Grace Hopper" })
                let graceID = try #require(grace["id"] as? String)
                let created = try #require(applied.first { $0.key == "\(graceID):create" })
                #expect(created.body == .object(["employee": "E2", "email": "GRACE@EXAMPLE.COM", "department": "Engineering"]))
                let welcome = try #require(receiver.received.first { $0.idempotencyKey == "\(graceID):welcome" })
                #expect(welcome.method == "PUT" && welcome.path.hasPrefix("/api/users/user-") && welcome.path.hasSuffix("/welcome"))
                #expect(welcome.headers["authorization"] == "Bearer s3cret")

                let actions = try await Self.list(server, "action_events", #"policy_task eq "\#(graceID)""#)
                #expect(Set(actions.compactMap { $0["action_name"] as? String }) == ["create", "welcome"])
                #expect(actions.allSatisfy { $0["state"] as? String == "COMPLETED" && $0["jobs_started"] as? Int == 1 && $0["any_changes"] as? Bool == true })
                let jobs = try await Self.list(server, "job_events", #"policy_task eq "\#(graceID)""#)
                #expect(jobs.count == 2 && jobs.allSatisfy { $0["state"] as? String == "COMPLETED" })
                let job = try await server.request(.get, "\(Self.prefix)/job_events/\(try #require(jobs.first?["job_id"] as? String))")
                #expect(!job.text.contains("s3cret") && job.text.contains("[redacted]"), "\(job.text)")
                let events = try await Self.list(server, "events", #"policy_task eq "\#(graceID)""#)
                #expect(Set(events.compactMap { $0["event_type"] as? String }) == ["SEND_REST_PAYLOAD", "CUSTOM_ACTION"])
                #expect(events.allSatisfy { $0["success"] as? Bool == true })
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aTargetThatFailsForAWhileIsRetriedAndAppliedOnce(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url)
                receiver.fail(next: 2, status: 503)
                _ = try await IdentityImportTests.imported(server, source: setup.source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
                let completed = try await Self.tasks(server, state: "COMPLETED", count: 1)
                let task = try #require(completed.first?["id"] as? String)
                #expect(receiver.received.count == 4 && receiver.applied.count == 2)
                let jobs = try await Self.list(server, "job_events", #"policy_task eq "\#(task)" and action_name eq "create""#)
                #expect(jobs.count == 3)
                #expect(jobs.filter { $0["state"] as? String == "ERRORED" }.count == 2)
                let action = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/create")
                #expect((action.json["value"] as? [String: Any])?["jobs_started"] as? Int == 3)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aTargetDownPastTheBudgetErrorsUntilRetried(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url, retryCount: 2)
                receiver.setDown(true)
                _ = try await IdentityImportTests.imported(server, source: setup.source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
                let errored = try await Self.tasks(server, state: "ERRORED", count: 1)
                let task = try #require(errored.first?["id"] as? String)
                let action = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/create")
                let value = try #require(action.json["value"] as? [String: Any])
                #expect(value["state"] as? String == "ERRORED" && value["jobs_started"] as? Int == 3)
                #expect((value["message"] as? String)?.contains("503") == true, "\(value)")
                let failures = try await Self.list(server, "events", #"policy_task eq "\#(task)" and success eq false"#)
                #expect(Set(failures.compactMap { $0["event_type"] as? String }) == ["ACTION_FAILED", "WORKFLOW_TASK_FAILED"])
                #expect(receiver.applied.isEmpty)

                let early = try await server.request(.post, "\(Self.prefix)/action_events/\(task)/welcome:retry")
                _ = early.expectEnvelope(status: 404, code: "NotFound")
                receiver.setDown(false)
                let retried = try await server.request(.post, "\(Self.prefix)/action_events/\(task)/create:retry")
                #expect(retried.status == .ok, "\(retried.text)")
                let completed = try await Self.tasks(server, state: "COMPLETED", count: 1)
                #expect(completed.first?["id"] as? String == task)
                #expect(Set(receiver.applied.map(\.key)) == ["\(task):create", "\(task):welcome"])
                let again = try await server.request(.post, "\(Self.prefix)/action_events/\(task)/create:retry")
                _ = again.expectEnvelope(status: 400, code: "FailedPrecondition")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aRefusedRequestIsNotRetried(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url)
                receiver.fail(next: 1, status: 422)
                _ = try await IdentityImportTests.imported(server, source: setup.source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
                let errored = try await Self.tasks(server, state: "ERRORED", count: 1)
                let task = try #require(errored.first?["id"] as? String)
                let action = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/create")
                let value = try #require(action.json["value"] as? [String: Any])
                #expect(value["jobs_started"] as? Int == 1 && (value["message"] as? String)?.contains("422") == true, "\(value)")
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func dryRunRecordsWhatWouldBeSentAndSendsNothing(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url, state: "DRY_RUN")
                _ = try await IdentityImportTests.imported(server, source: setup.source, IdentityImportTests.joiners)
                let completed = try await Self.tasks(server, state: "COMPLETED", count: 3)
                #expect(completed.count == 3 && completed.allSatisfy { $0["dry_run"] as? Bool == true })
                let task = try #require(completed.first?["id"] as? String)
                let jobs = try await Self.list(server, "job_events", #"policy_task eq "\#(task)" and action_name eq "create""#)
                let job = try await server.request(.get, "\(Self.prefix)/job_events/\(try #require(jobs.first?["job_id"] as? String))")
                #expect(job.text.contains("\"dry_run\":true") && job.text.contains("/users"), "\(job.text)")
                #expect(receiver.received.isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aPauseHoldsTheRestUntilItsTimeAndARestartRunsItAgain(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { url in
            try await TestServer.run(kind) { server in
                let setup = try await Self.setUp(server, receiver: url, pause: "1s")
                _ = try await IdentityImportTests.imported(server, source: setup.source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
                let completed = try await Self.tasks(server, state: "COMPLETED", count: 1)
                let task = try #require(completed.first?["id"] as? String)
                #expect(receiver.applied.count == 2)
                // The pause held the rest back until its time, whatever the pace of this test's polling.
                let paused = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/cool%20off")
                let message = try #require((paused.json["value"] as? [String: Any])?["message"] as? String)
                #expect(message.hasPrefix("paused until "), "\(message)")
                let until = try #require(Timestamp(rfc3339: String(message.dropFirst("paused until ".count))))
                let create = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/create")
                let started = try #require(((create.json["value"] as? [String: Any])?["started_at"] as? String).flatMap { Timestamp(rfc3339: $0) })
                #expect(started >= until)
                #expect((completed.first?["messages"] as? [String])?.contains { $0.hasPrefix("Paused by cool off until") } == true)

                let restart = try await server.request(.post, "\(Self.prefix)/workflow_tasks/\(task):restart")
                #expect(restart.status == .ok, "\(restart.text)")
                let rerun = try await Self.tasks(server, state: "COMPLETED", count: 2)
                let second = try #require(rerun.first { $0["id"] as? String != task })
                #expect(second["previous_task_id"] as? String == task)
                #expect(receiver.applied.count == 4)
            }
        }
    }
}
