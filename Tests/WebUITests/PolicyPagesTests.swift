import ActivityLog
import Foundation
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

/// The Policies page: state, live version and tasks by state of each policy, and Pause and Resume.
@Suite struct PolicyPagesTests {
    static let path = "/api/private/lifecycle_management/policies"
    static let config = #"{"workflows": [{"name": "Joiner", "trigger": {"changes": ["JOINED"]}, "conditions_on_success": [{"condition_type": "ANY", "actions_to_run": [{"name": "Wait"}]}]}], "actions": [{"name": "Wait", "type": "PAUSE", "config": {"duration": "1h"}}]}"#

    @Test(arguments: TestDatabase.kinds)
    func aRunningPolicyShowsItsTasksAndIsPausedAndResumedFromThePage(kind: DatabaseKind) async throws {
        let environment = FixedPolicyEnvironment(sourceIDs: ["hr"], identities: [], connectors: [:])
        try await TestServer.run(kind, policyEnvironment: environment, runner: RunnerSettings(concurrency: 0)) { server in
            let created = try await server.request(.post, Self.path, json: #"{"name": "Joiners", "description": "New hires", "datasource_ids": ["hr"], "config": \#(Self.config)}"#)
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            #expect(try await server.request(.post, "\(Self.path)/\(id)/versions/1:publish").status == .ok)
            #expect(try await server.request(.patch, "\(Self.path)/\(id)", json: #"{"state": "RUNNING"}"#).status == .ok)
            try await ActivityLogDemo(database: server.database).seed(actionEvents: 40, seed: 3)
            let tasks = ActivityStore<WorkflowTask>(database: server.database)
            let signer = try await server.database.pageTokenSigner()
            let ours = try await tasks.list(try ListRequest(WorkflowTask.listSpec, ListParameters(pageSize: "3"), signer: signer), signer: signer).values
                .map { task in
                    var task = task
                    task.policyID = id
                    task.state = .errored
                    return task
                }
            try await tasks.upsert(ours)

            let browser = try await WebBrowser.signedIn(server, key: server.adminKey)
            let page = try await browser.get("/ui/policies")
            #expect(page.status == .ok)
            let row = try #require(page.text.firstMatch(of: /<tr data-policy-id="[^"]+">[\s\S]*?<\/tr>/)).0
            #expect(row.contains("Joiners") && row.contains(#"data-state="RUNNING""#) && row.contains("<td>1</td>"))
            #expect(row.contains("ERRORED 3"))
            #expect(row.contains("Pause"))

            let paused = try await browser.post("/ui/policies/\(id)/state", ["state": "PAUSED"])
            #expect(paused.status == .seeOther)
            #expect(try await browser.follow(try #require(paused.location)).text.contains("Joiners is paused."))
            let api = try await server.request(.get, "\(Self.path)/\(id)")
            #expect((api.json["value"] as? [String: Any])?["state"] as? String == "PAUSED")
            #expect(try await browser.get("/ui/policies").text.contains("Resume"))

            #expect(try await browser.post("/ui/policies/\(id)/state", ["state": "DRY_RUN"]).status == .badRequest)
            let viewer = try await WebBrowser.signedIn(server, key: try await server.key(.viewer))
            let seen = try await viewer.get("/ui/policies")
            #expect(seen.status == .ok && seen.text.contains("Joiners") && !seen.text.contains("Resume"))
        }
    }
}
