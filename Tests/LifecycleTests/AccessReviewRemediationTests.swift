import Foundation
@testable import Lifecycle
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// CREATE_ACCESS_REVIEW and remediation against a real `scim2-server`: a joiner's groups become a
/// certification for the manager; a rejected, signed-off row has its membership removed on the
/// target by the review workflow's remediation and ends FIXED, with the task in its action log.
@Suite struct AccessReviewRemediationTests {
    static let prefix = SCIMConnectorTests.prefix
    static let reviews = "/api/preview/awf"

    /// Ada manages Grace; both join with the Engineering-Base profile (groups engineering and vpn).
    static let joiners = """
        employee_id,display_name,email,department,manager_id
        E1,Ada Lovelace,ada@example.com,Engineering,E1
        E2,Grace Hopper,grace@example.com,Engineering,E1

        """

    /// A policy whose joiners are synced, granted Engineering-Base and reviewed in review workflow
    /// "Quarterly", which remediates with the policy's DISABLED workflow "Revoke".
    static func setUp(_ server: TestServer, scim: TestSCIMServer, retryCount: Int = 10) async throws -> (source: String, connector: String) {
        _ = try await scim.createGroup("engineering")
        _ = try await scim.createGroup("vpn")
        let workflows = """
            [\(SCIMConnectorTests.workflow("Joiner", "JOINED", ["sync", "grant", "review"])),
             {"name": "Revoke", "state": "DISABLED", "trigger": {"changes": ["CHANGED"]}, "conditions_on_success": [{"name": "all", "actions_to_run": [{"name": "remove"}]}]}]
            """
        let actions = """
            [{"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "app"}},
             {"name": "grant", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "app", "grant_profiles": ["Engineering-Base"]}},
             {"name": "review", "type": "CREATE_ACCESS_REVIEW", "config": {"connector": "app", "review_workflow": "Quarterly", "name": "Access of {display_name}"}},
             {"name": "remove", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "app", "revoke_groups": ["{entitlement.name}"]}}]
            """
        let source = try await SCIMConnectorTests.setUp(server, url: scim.url, retryCount: retryCount, workflows: workflows, actions: actions)
        let policies = try await server.request(.get, "\(prefix)/policies")
        let policy = try #require((policies.json["values"] as? [[String: Any]])?.first?["id"] as? String)
        let workflow = try await server.request(.post, "\(reviews)/workflows", json: """
            {"name": "Quarterly", "remediation": {"policy_id": "\(policy)", "workflow": "Revoke"}}
            """)
        #expect(workflow.status == .ok, "\(workflow.text)")
        let remediation = (workflow.json["value"] as? [String: Any])?["remediation"] as? [String: Any]
        #expect(remediation?["policy_id"] as? String == policy && remediation?["workflow"] as? String == "Revoke", "\(workflow.text)")
        for (body, words) in [
            (#"{"name": "Bad", "remediation": {"policy_id": " ", "workflow": "Revoke"}}"#, "remediation.policy_id is required"),
            (#"{"name": "Bad", "remediation": {"policy_id": "p", "workflow": "Revoke", "when": "now"}}"#, "not a field of a remediation"),
        ] {
            let refused = try await server.request(.post, "\(reviews)/workflows", json: body)
            #expect(refused.status == .badRequest && refused.text.contains(words), "\(refused.text)")
        }
        let connectors = try await server.request(.get, "\(prefix)/connectors")
        let connector = try #require((connectors.json["values"] as? [[String: Any]])?.first?["id"] as? String)
        return (source, connector)
    }

    /// What the joiners' tasks left: Grace's user on the target and her certification.
    struct Reviewed {
        var source: String
        var connector: String
        var joinerTasks: [[String: Any]]
        var graceUser: String
        var certification: String
        var rows: [[String: Any]]
    }

    /// Sets up, imports the joiners and waits for their tasks to complete.
    static func reviewedJoiners(_ server: TestServer, scim: TestSCIMServer, retryCount: Int = 10) async throws -> Reviewed {
        let (source, connector) = try await setUp(server, scim: scim, retryCount: retryCount)
        _ = try await IdentityImportTests.imported(server, source: source, joiners)
        let tasks = try await RunnerTests.tasks(server, state: "COMPLETED", count: 2)
        #expect(tasks.count == 2)
        let (certification, rows) = try await graceReview(server)
        return Reviewed(
            source: source, connector: connector, joinerTasks: tasks, graceUser: try await graceID(scim), certification: certification, rows: rows)
    }

    /// Grace's certification and its rows.
    static func graceReview(_ server: TestServer) async throws -> (id: String, rows: [[String: Any]]) {
        let list = try await server.request(.get, "\(reviews)/certifications")
        let certification = try #require((list.json["values"] as? [[String: Any]])?.first { $0["name"] as? String == "Access of Grace Hopper" })
        let id = try #require(certification["certification_id"] as? String)
        return (id, try await rows(server, id))
    }

    static func rows(_ server: TestServer, _ certification: String) async throws -> [[String: Any]] {
        let response = try await server.request(.get, "\(reviews)/certifications/\(certification)/results")
        #expect(response.status == .ok, "\(response.text)")
        return response.json["values"] as? [[String: Any]] ?? []
    }

    static func row(_ rows: [[String: Any]], group: String) throws -> [String: Any] {
        try #require(rows.first { ($0["destination"] as? [String: Any])?["name"] as? String == group })
    }

    static func decide(_ server: TestServer, _ certification: String, _ row: [String: Any], _ decision: String) async throws {
        let id = try #require(row["result_id"] as? Int)
        let response = try await server.request(.put, "\(reviews)/certifications/\(certification)/results", json: """
            {"value": {"result_id": \(id), "decision": "\(decision)", "signed_off_state": "SIGNED_OFF"}}
            """)
        #expect(response.status == .ok, "\(response.text)")
    }

    static func logEntries(_ row: [String: Any]) -> [[String: Any]] {
        (row["action_log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []
    }

    static func graceID(_ scim: TestSCIMServer) async throws -> String {
        guard case .string(let id)? = try await SCIMConnectorTests.user(scim, "grace@example.com")?["id"] else { throw PeerError("no user for Grace") }
        return id
    }

    @Test func aRemediationWorkflowRendersTheEntitlementAndIgnoresItsTrigger() throws {
        let config = try PolicyConfig(validating: try PolicyPlanTests.json("""
            {"workflows": [{"name": "Revoke", "state": "DISABLED", "conditions_on_success": [{"name": "all", "actions_to_run": [{"name": "remove"}]}]}],
             "actions": [{"name": "remove", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "app", "revoke_groups": ["{entitlement.name}"]}},
                         {"name": "review", "type": "CREATE_ACCESS_REVIEW", "config": {"connector": "app", "review_workflow": "Quarterly"}}]}
            """))
        let identity = IdentitySnapshot(id: "i1", name: "Grace", sourceID: "hr", attributes: ["email": "grace@example.com"])
        #expect(try config.plan(for: identity, change: .changed, changedAttributes: []).isEmpty, "a DISABLED workflow is never triggered")
        let plan = try #require(try config.plan(workflowNamed: "Revoke", for: identity))
        let action = try #require(plan.actions.first)
        let rendered = try action.render(TemplateContext(attributes: identity.attributes, entitlement: ["id": "g1", "name": "vpn"]), now: .now)
        guard case .scim(_, .manageRelationships(let grant, let revoke, let groups)) = rendered else {
            Issue.record("not MANAGE_RELATIONSHIPS: \(rendered)")
            return
        }
        #expect(grant.isEmpty && revoke.isEmpty && groups == ["vpn"])
        #expect(throws: TemplateError.self) { try action.render(TemplateContext(attributes: identity.attributes), now: .now) }

        #expect(throws: APIError.self) {
            try PolicyConfig(validating: try PolicyPlanTests.json("""
                {"workflows": [], "actions": [{"name": "review", "type": "CREATE_ACCESS_REVIEW", "config": {"connector": "app", "reviewers": "x"}}]}
                """))
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aRejectedMembershipIsRemovedAndTheRowFixed(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let reviewed = try await Self.reviewedJoiners(server, scim: scim)
                let (source, joiners, graceUser, certification, rows) = (
                    reviewed.source, reviewed.joinerTasks, reviewed.graceUser, reviewed.certification, reviewed.rows
                )
                #expect(rows.count == 2)
                #expect(Set(rows.compactMap { ($0["destination"] as? [String: Any])?["name"] as? String }) == ["engineering", "vpn"])
                for row in rows {
                    let reviewers = row["reviewers"] as? [[String: Any]] ?? []
                    #expect(reviewers.map { $0["email"] as? String } == ["ada@example.com"], "the manager reviews: \(reviewers)")
                    let identity = row["source"] as? [String: Any]
                    #expect(identity?["id"] as? String == ImportedIdentity.identityID(sourceID: source, entityID: "E2"))
                    #expect(identity?["name"] as? String == "Grace Hopper")
                }

                // A repeated attempt of the same task's action (same idempotency key) finds the certification.
                let graceTask = try #require(joiners.first { $0["identity_name"] as? String == "Grace Hopper" }?["id"] as? String)
                let again = try await Self.performReviewAgain(server, taskID: graceTask, identityID: ImportedIdentity.identityID(sourceID: source, entityID: "E2"))
                #expect(again.result == .succeeded(changed: false) && again.message.contains("already exists"), "\(again.message)")
                #expect(again.output.scimMember("certification_id") == .string(certification))
                let certifications = try await server.request(.get, "\(Self.reviews)/certifications")
                #expect((certifications.json["values"] as? [[String: Any]])?.count == 2, "one certification per joiner, no second for the retry")

                try await Self.decide(server, certification, try Self.row(rows, group: "engineering"), "ACCEPTED")
                try await Self.decide(server, certification, try Self.row(rows, group: "vpn"), "REJECTED")
                let remediation = try #require(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).first { $0["workflow"] as? String == "Revoke" })
                let task = try #require(remediation["id"] as? String)
                #expect(remediation["manually_triggered"] as? Bool == true)

                #expect(!(try await scim.members(of: "vpn").contains(graceUser)), "the rejected membership is gone on the target")
                #expect(try await scim.members(of: "engineering").contains(graceUser), "the approved one stays")
                let after = try await Self.rows(server, certification)
                let vpn = try Self.row(after, group: "vpn")
                #expect(vpn["decision"] as? String == "RESULT_DECISION_FIXED")
                let entries = Self.logEntries(vpn).filter { $0["action"] as? String == "REMEDIATION" }
                #expect(entries.count == 2, "\(entries)")
                #expect(entries.allSatisfy { $0["remediation_task_id"] as? String == task }, "\(entries)")
                #expect((entries.last?["note"] as? String ?? "").contains("Remediated by task \(task)"), "\(entries)")
                #expect((entries.last?["decision_detail"] as? [String: Any])?["decision"] as? String == "RESULT_DECISION_FIXED")
                let engineering = try Self.row(after, group: "engineering")
                #expect(engineering["decision"] as? String == "RESULT_DECISION_ACCEPTED")
                #expect(!Self.logEntries(engineering).contains { $0["action"] as? String == "REMEDIATION" })
                let removed = try await RunnerTests.list(server, "events", #"event_type eq "REMOVE_RELATIONSHIP""#)
                #expect(removed.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aSmartActionThatSignsOffARejectionRemediatesIt(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let reviewed = try await Self.reviewedJoiners(server, scim: scim)
                let (graceUser, certification, rows) = (reviewed.graceUser, reviewed.certification, reviewed.rows)
                let vpnID = try #require(try Self.row(rows, group: "vpn")["result_id"] as? Int)
                let rejected = try await server.request(.put, "\(Self.reviews)/certifications/\(certification)/results", json: """
                    {"value": {"result_id": \(vpnID), "decision": "REJECTED"}}
                    """)
                #expect(rejected.status == .ok, "\(rejected.text)")
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await TaskPlannerTests.tasks(server, #"workflow eq "Revoke""#).isEmpty, "a rejection not signed off starts nothing")

                let definition = try await server.request(.post, "\(Self.reviews)/smart_action_definitions", json: #"""
                    {"name": "Sign off rejected rows", "filter": "", "mutable_filter": "decision eq \"RESULT_DECISION_REJECTED\"",
                     "mutable_fields": {"signed_off_state": "SIGNED_OFF"}}
                    """#)
                #expect(definition.status == .ok, "\(definition.text)")
                let applied = try await server.request(
                    .post, "\(Self.reviews)/certifications/\(certification)/results:apply_smart_action",
                    json: #"{"smart_action_definition_id": "\#(definition.json["id"] as? String ?? "")"}"#)
                #expect(applied.status == .ok, "\(applied.text)")
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).contains { $0["workflow"] as? String == "Revoke" })
                #expect(!(try await scim.members(of: "vpn").contains(graceUser)))
                let vpn = try Self.row(try await Self.rows(server, certification), group: "vpn")
                #expect(vpn["decision"] as? String == "RESULT_DECISION_FIXED", "\(vpn)")
            }
        }
    }

    /// CREATE_ACCESS_REVIEW once more for `taskID`'s review action, as an attempt after a lost answer would.
    static func performReviewAgain(_ server: TestServer, taskID: String, identityID: String) async throws -> ActionAttempt {
        let http = HTTPPerformer(clock: .system)
        let scimPerformer = SCIMPerformer(http: http, profiles: AccessProfileStore(database: server.database, connectors: server.connectors))
        let performer = AccessReviewPerformer(scim: scimPerformer, database: server.database, identities: IdentityStore(database: server.database), clock: .system)
        let connector = try #require(try await server.connectors.connector(named: "app"))
        let identity = try #require(try await IdentityStore(database: server.database).snapshot(id: identityID))
        let attempt = await performer.perform(
            connector: connector, reviewWorkflow: "Quarterly", reviewer: nil, name: "Access of Grace Hopper", identity: identity,
            idempotencyKey: "\(taskID):review")
        try await http.shutdown()
        return attempt
    }

    @Test(arguments: TestDatabase.kinds)
    func aRemediationThatErrorsStaysRejectedUntilItsRetryCompletes(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let reviewed = try await Self.reviewedJoiners(server, scim: scim, retryCount: 1)
                let (connector, graceUser, certification, rows) = (reviewed.connector, reviewed.graceUser, reviewed.certification, reviewed.rows)

                // The target goes away before the rejection is signed off.
                let closed = try await TestPeer.closedPort()
                let down = try await server.request(.patch, "\(Self.prefix)/connectors/\(connector)", json: #"{"base_url": "http://127.0.0.1:\#(closed)/v2"}"#)
                #expect(down.status == .ok, "\(down.text)")
                try await Self.decide(server, certification, try Self.row(rows, group: "vpn"), "REJECTED")
                let errored = try #require(try await RunnerTests.tasks(server, state: "ERRORED", count: 1).first)
                let task = try #require(errored["id"] as? String)
                #expect(errored["workflow"] as? String == "Revoke")
                var vpn = try Self.row(try await Self.rows(server, certification), group: "vpn")
                #expect(vpn["decision"] as? String == "RESULT_DECISION_REJECTED")
                let failure = Self.logEntries(vpn).last
                #expect(failure?["action"] as? String == "REMEDIATION" && failure?["remediation_task_id"] as? String == task, "\(Self.logEntries(vpn))")
                #expect((failure?["note"] as? String ?? "").contains("errored"), "\(failure ?? [:])")
                #expect(try await scim.members(of: "vpn").contains(graceUser))

                let up = try await server.request(.patch, "\(Self.prefix)/connectors/\(connector)", json: #"{"base_url": "\#(scim.url)"}"#)
                #expect(up.status == .ok, "\(up.text)")
                let retry = try await server.request(.post, "\(Self.prefix)/action_events/\(task)/remove:retry")
                #expect(retry.status == .ok, "\(retry.text)")
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).contains { $0["id"] as? String == task })
                #expect(!(try await scim.members(of: "vpn").contains(graceUser)))
                vpn = try Self.row(try await Self.rows(server, certification), group: "vpn")
                #expect(vpn["decision"] as? String == "RESULT_DECISION_FIXED")
                #expect((Self.logEntries(vpn).last?["note"] as? String ?? "").contains("Remediated by task \(task)"))
            }
        }
    }
}
