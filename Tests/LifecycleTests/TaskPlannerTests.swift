import Foundation
import HummingbirdTesting
import Lifecycle
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

@Suite struct TaskPlannerTests {
    static let prefix = "/api/private/lifecycle_management"

    /// A RUNNING policy on `source`: a joiner workflow, a mover workflow reacting to department
    /// changes, and a leaver workflow, each pausing for a day.
    static func runningPolicy(_ server: TestServer, source: String, limit: String = "") async throws -> String {
        let pause = #"{"duration": "24h"}"#
        let body = """
            {"name": "JML \(UUID().uuidString.prefix(6))", "datasource_ids": ["\(source)"]\(limit),
             "config": {
               "workflows": [
                 {"name": "Joiner", "trigger": {"changes": ["JOINED"]}, "conditions_on_success": [{"name": "all", "condition_type": "ANY", "actions_to_run": [{"name": "wait"}]}]},
                 {"name": "Mover", "trigger": {"changes": ["CHANGED"], "attributes": ["department"]}, "conditions_on_success": [{"name": "all", "condition_type": "ANY", "actions_to_run": [{"name": "wait"}]}]},
                 {"name": "Leaver", "trigger": {"changes": ["LEFT"]}, "conditions_on_success": [{"name": "all", "condition_type": "ANY", "actions_to_run": [{"name": "wait"}]}]}
               ],
               "actions": [{"name": "wait", "type": "PAUSE", "config": \(pause)}]
             }}
            """
        let created = try await server.request(.post, "\(prefix)/policies", json: body)
        #expect(created.status == .ok, "\(created.text)")
        let id = created.json["id"] as? String ?? ""
        let published = try await server.request(.post, "\(prefix)/policies/\(id)/versions/1:publish")
        #expect(published.status == .ok, "\(published.text)")
        let running = try await server.request(.patch, "\(prefix)/policies/\(id)", json: #"{"state": "RUNNING"}"#)
        #expect(running.status == .ok, "\(running.text)")
        return id
    }

    static func tasks(_ server: TestServer, _ filter: String) async throws -> [[String: Any]] {
        let query = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try await server.request(.get, "\(prefix)/workflow_tasks?page_size=1000&filter=\(query)")
        #expect(response.status == .ok, "\(response.text)")
        return response.json["values"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.kinds)
    func joinersMoversAndLeaversStartTheirWorkflows(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let source = try await IdentityImportTests.createSource(server)
            let before = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners)
            #expect(before["tasks_created"] as? Int == 0)
            let policy = try await Self.runningPolicy(server, source: source)

            let movers = """
                employee_id,display_name,email,department,manager_id
                E1,Ada Lovelace,ada@example.com,Engineering,
                E2,Grace Hopper,grace@example.com,Research,E1
                E3,Alan Turing,alan.turing@example.com,Research,E1
                E4,Edsger Dijkstra,edsger@example.com,Research,E1
                """
            let event = try await IdentityImportTests.imported(server, source: source, movers)
            let extraction = try #require(event["id"] as? String)
            #expect(event["joined"] as? Int == 1 && event["changed"] as? Int == 2 && event["tasks_created"] as? Int == 2)
            let created = try await Self.tasks(server, #"extraction_event eq "\#(extraction)""#)
            #expect(Set(created.compactMap { $0["workflow"] as? String }) == ["Joiner", "Mover"])
            let mover = try #require(created.first { $0["workflow"] as? String == "Mover" })
            #expect(mover["identity_name"] as? String == "Grace Hopper" && mover["identity_status"] as? String == "CHANGED")
            #expect(mover["reason"] as? String == "CHANGED: department" && mover["policy_id"] as? String == policy)
            #expect(mover["policy_version_number"] as? Int == 1 && mover["entity_type"] as? String == "HRWorker" && mover["entity_id"] as? String == "E2")
            let joiner = try #require(created.first { $0["workflow"] as? String == "Joiner" })
            #expect(joiner["identity_status"] as? String == "NEW" && joiner["dry_run"] as? Bool == false)

            let leavers = try await IdentityImportTests.imported(server, source: source, "employee_id,display_name\nE1,Ada Lovelace\n")
            #expect(leavers["left"] as? Int == 3 && leavers["changed"] as? Int == 1 && leavers["tasks_created"] as? Int == 4 && leavers["tasks_blocked"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aSafetyLimitBlocksEveryTaskOfTheExtractionUntilUnblocked(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let source = try await IdentityImportTests.createSource(server)
            _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners)
            _ = try await Self.runningPolicy(server, source: source, limit: #", "safety_limit_settings": {"max_changes_absolute": 2}"#)
            let event = try await IdentityImportTests.imported(server, source: source, "employee_id,display_name\n")
            #expect(event["left"] as? Int == 3 && event["tasks_created"] as? Int == 3 && event["tasks_blocked"] as? Int == 3)
            let blocked = try await Self.tasks(server, #"state eq "BLOCKED""#)
            #expect(blocked.count == 3 && blocked.allSatisfy { $0["runtime_change_limit_reached"] as? Bool == true })
            #expect((blocked.first?["messages"] as? [String])?.first?.contains("max_changes_absolute (2)") == true)

            let ids = blocked.compactMap { $0["id"] as? String }
            let run = try await server.request(
                .post, "\(Self.prefix)/workflow_tasks:unblock", json: #"{"task_ids": ["\#(ids[0])"], "action": "RUN"}"#)
            #expect(run.status == .ok, "\(run.text)")
            let abandon = try await server.request(
                .post, "\(Self.prefix)/workflow_tasks:unblock", json: #"{"task_ids": ["\#(ids[1])", "\#(ids[2])"], "action": "ABANDON"}"#)
            #expect(abandon.status == .ok, "\(abandon.text)")
            #expect(try await Self.tasks(server, #"state eq "PENDING""#).count == 1)
            #expect(try await Self.tasks(server, #"state eq "ABANDONED""#).count == 2)

            let percent = try await Self.runningPolicy(server, source: source, limit: #", "safety_limit_settings": {"max_changes_percent": 50}"#)
            let rejoin = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners, mode: "INCREMENTAL")
            #expect(rejoin["joined"] as? Int == 3)
            let percentTasks = try await Self.tasks(server, #"policy_id eq "\#(percent)""#)
            #expect(percentTasks.count == 3 && percentTasks.allSatisfy { $0["state"] as? String == "BLOCKED" })
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func anIdentityAPolicyCannotEvaluateIsReportedNotDropped(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let source = try await IdentityImportTests.createSource(server)
            _ = try await IdentityImportTests.imported(server, source: source, "employee_id,display_name,level\nE1,Ada,7\n")
            let body = """
                {"name": "Seniors", "datasource_ids": ["\(source)"],
                 "config": {"workflows": [{"name": "Senior joiner", "trigger": {"changes": ["JOINED"], "filter": "level gt 5"},
                              "conditions_on_success": [{"name": "all", "condition_type": "ANY", "actions_to_run": [{"name": "wait"}]}]}],
                            "actions": [{"name": "wait", "type": "PAUSE", "config": {"duration": "1h"}}]}}
                """
            let created = try await server.request(.post, "\(Self.prefix)/policies", json: body)
            let policy = try #require(created.json["id"] as? String)
            #expect(try await server.request(.post, "\(Self.prefix)/policies/\(policy)/versions/1:publish").status == .ok)
            #expect(try await server.request(.patch, "\(Self.prefix)/policies/\(policy)", json: #"{"state": "RUNNING"}"#).status == .ok)
            let event = try await IdentityImportTests.imported(
                server, source: source, "employee_id,display_name,level\nE1,Ada,7\nE2,Grace,9\nE3,Alan,true\n")
            #expect(event["joined"] as? Int == 2 && event["tasks_created"] as? Int == 1)
            let message = try #require(event["message"] as? String)
            #expect(message.contains(#"policy "Seniors" could not evaluate 1 identity"#) && message.contains("Alan"), "\(message)")
        }
    }
}
