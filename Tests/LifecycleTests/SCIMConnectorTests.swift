import Foundation
@testable import Lifecycle
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// SCIM actions against a real `scim2-server`: joiners become exactly one user each with the mapped
/// attributes, movers change only mapped attributes, leavers are deactivated or deleted, access
/// profiles add and remove group memberships, and the target's errors become the action's message.
@Suite struct SCIMConnectorTests {
    static let prefix = "/api/private/lifecycle_management"
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    static let mapping = """
        {"userName": "{email}", "displayName": "{display_name}", "name.givenName": "{display_name | FIRST_N, 3}",
         "emails[type eq \\"work\\"].value": "{email}", "\(enterprise):department": "{department}"}
        """

    /// A SCIM connector `app` to `url`, an access profile Engineering-Base granting `engineering`,
    /// and a running policy with `workflows` and `actions` (JSON arrays).
    static func setUp(
        _ server: TestServer, url: String, mapping: String = SCIMConnectorTests.mapping, retryCount: Int = 10, workflows: String, actions: String
    ) async throws -> String {
        let source = try await IdentityImportTests.createSource(server)
        let connector = try await server.request(.post, "\(prefix)/connectors", json: """
            {"name": "app", "type": "SCIM", "base_url": "\(url)", "bearer_token": "\(TestSCIMServer.token)", "attribute_mapping": \(mapping)}
            """)
        #expect(connector.status == .ok, "\(connector.text)")
        let profile = try await server.request(.post, "\(prefix)/access_profiles", json: """
            {"name": "Engineering-Base", "connector": "app", "groups": ["engineering", "vpn"]}
            """)
        #expect(profile.status == .ok, "\(profile.text)")
        let created = try await server.request(.post, "\(prefix)/policies", json: """
            {"name": "SCIM", "datasource_ids": ["\(source)"], "retry_count": \(retryCount),
             "config": {"workflows": \(workflows), "actions": \(actions)}}
            """)
        #expect(created.status == .ok, "\(created.text)")
        let policy = created.json["id"] as? String ?? ""
        #expect(try await server.request(.post, "\(prefix)/policies/\(policy)/versions/1:publish").status == .ok)
        #expect(try await server.request(.patch, "\(prefix)/policies/\(policy)", json: #"{"state": "RUNNING"}"#).status == .ok)
        return source
    }

    static func workflow(_ name: String, _ change: String, _ actions: [String]) -> String {
        let names = actions.map { #"{"name": "\#($0)"}"# }.joined(separator: ", ")
        return #"{"name": "\#(name)", "trigger": {"changes": ["\#(change)"]}, "conditions_on_success": [{"name": "all", "actions_to_run": [\#(names)]}]}"#
    }

    static let actions = """
        [{"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "app"}},
         {"name": "grant", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "app", "grant_profiles": ["Engineering-Base"]}},
         {"name": "revoke", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "app", "revoke_profiles": ["Engineering-Base"]}},
         {"name": "disable", "type": "DEPROVISION_IDENTITY", "config": {"connector": "app"}},
         {"name": "delete", "type": "DELETE_IDENTITY", "config": {"connector": "app"}}]
        """

    static func user(_ scim: TestSCIMServer, _ userName: String) async throws -> [String: JSONValue]? {
        try await scim.resources("/Users").first { $0["userName"] == .string(userName) }
    }

    @Test(arguments: TestDatabase.kinds)
    func joinersMoversAndLeaversReachTheTargetOnce(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                _ = try await scim.createGroup("engineering")
                _ = try await scim.createGroup("vpn")
                let workflows = "[\(Self.workflow("Joiner", "JOINED", ["sync", "grant"])), \(Self.workflow("Mover", "CHANGED", ["sync"])), \(Self.workflow("Leaver", "LEFT", ["disable"]))]"
                let source = try await Self.setUp(server, url: scim.url, workflows: workflows, actions: Self.actions)
                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners)
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).count == 3)

                var users = try await scim.resources("/Users")
                #expect(users.count == 3)
                let grace = try #require(try await Self.user(scim, "grace@example.com"))
                #expect(grace["userName"] == "grace@example.com")
                #expect(grace["displayName"] == "Grace Hopper")
                #expect(grace["name"]?.memberValue("givenName") == "Gra")
                #expect(grace["emails"] == .array([.object(["type": "work", "value": "grace@example.com"])]))
                #expect(grace[Self.enterprise]?.memberValue("department") == "Engineering")
                let ids = Set(users.compactMap { if case .string(let id)? = $0["id"] { id } else { nil } })
                #expect(try await scim.members(of: "engineering") == ids)
                #expect(try await scim.members(of: "vpn") == ids)

                // Something the mapping does not name is the target's own: a mover keeps it.
                guard case .string(let graceID)? = grace["id"] else { throw PeerError("no id") }
                let patched = try await scim.call("PATCH", "/Users/\(graceID)", .object([
                    "schemas": .array(["urn:ietf:params:scim:api:messages:2.0:PatchOp"]),
                    "Operations": .array([.object(["op": "replace", "path": "title", "value": "Rear Admiral"])]),
                ]))
                #expect(patched.status < 300, "\(patched.body)")
                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners.replacingOccurrences(of: "grace@example.com,Engineering", with: "grace@example.com,Research"))
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 4).count == 4)
                let moved = try #require(try await Self.user(scim, "grace@example.com"))
                #expect(moved[Self.enterprise]?.memberValue("department") == "Research")
                #expect(moved["title"] == "Rear Admiral")
                #expect(moved["userName"] == "grace@example.com")

                // Alan leaves: deactivated, not deleted; the others stay active.
                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners.replacingOccurrences(of: "E3,Alan Turing,alan@example.com,Research,E1\n", with: "").replacingOccurrences(of: "grace@example.com,Engineering", with: "grace@example.com,Research"))
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 5).count == 5)
                users = try await scim.resources("/Users")
                #expect(users.count == 3)
                #expect(try await Self.user(scim, "alan@example.com")?["active"] == .bool(false))
                #expect(try await Self.user(scim, "ada@example.com")?["active"] != .bool(false))

                let events = try await RunnerTests.list(server, "events", #"success eq true"#)
                #expect(Set(events.compactMap { $0["event_type"] as? String }) == ["SYNC_IDENTITY", "ADD_RELATIONSHIP", "DISABLE_IDENTITY"])
                let jobs = try await RunnerTests.list(server, "job_events", #"action_name eq "sync""#)
                let job = try await server.request(.get, "\(Self.prefix)/job_events/\(try #require(jobs.first?["job_id"] as? String))")
                #expect(job.text.contains("/Users") && !job.text.contains(TestSCIMServer.token) && job.text.contains("[redacted]"), "\(job.text)")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aSyncWhoseCreateAnswerWasLostMakesNoDuplicate(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let source = try await Self.setUp(server, url: scim.url, workflows: "[\(Self.workflow("Joiner", "JOINED", ["sync"]))]", actions: Self.actions)
                // As if an earlier attempt's POST had created Ada and its answer was lost; Grace exists under her userName only.
                let ada = ImportedIdentity.identityID(sourceID: source, entityID: "E1")
                for (externalID, userName) in [(ada, "ada@example.com"), ("", "grace@example.com")] {
                    var user: [String: JSONValue] = ["schemas": .array(["urn:ietf:params:scim:schemas:core:2.0:User"]), "userName": .string(userName)]
                    if !externalID.isEmpty { user["externalId"] = .string(externalID) }
                    #expect(try await scim.call("POST", "/Users", .object(user)).status == 201)
                }
                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners)
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).count == 3)
                let users = try await scim.resources("/Users")
                #expect(users.count == 3)
                #expect(Set(users.compactMap { $0["externalId"] }) == Set(["E1", "E2", "E3"].map { JSONValue.string(ImportedIdentity.identityID(sourceID: source, entityID: $0)) }))
                #expect(try await Self.user(scim, "ada@example.com")?["displayName"] == "Ada Lovelace")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func revokingAProfileRemovesItsMembershipsAndDeleteRemovesTheUser(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                _ = try await scim.createGroup("engineering")
                _ = try await scim.createGroup("vpn")
                let workflows = "[\(Self.workflow("Joiner", "JOINED", ["sync", "grant"])), \(Self.workflow("Leaver", "LEFT", ["revoke", "delete"]))]"
                let source = try await Self.setUp(server, url: scim.url, workflows: workflows, actions: Self.actions)
                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners)
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 3).count == 3)
                let alan = try #require(try await Self.user(scim, "alan@example.com"))
                guard case .string(let alanID)? = alan["id"] else { throw PeerError("no id") }
                #expect(try await scim.members(of: "vpn").contains(alanID))

                _ = try await IdentityImportTests.imported(server, source: source, IdentityImportTests.joiners.replacingOccurrences(of: "E3,Alan Turing,alan@example.com,Research,E1\n", with: ""))
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 4).count == 4)
                #expect(try await scim.members(of: "engineering").count == 2)
                #expect(!(try await scim.members(of: "vpn").contains(alanID)))
                #expect(try await Self.user(scim, "alan@example.com") == nil)
                #expect(try await scim.resources("/Users").count == 2)
                let events = try await RunnerTests.list(server, "events", #"event_type eq "REMOVE_RELATIONSHIP" or event_type eq "DELETE_IDENTITY""#)
                #expect(events.count == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func theTargetsErrorDetailIsTheActionsMessage(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let mapping = #"{"userName": "{email}", "active": "{department}"}"#
                let source = try await Self.setUp(
                    server, url: scim.url, mapping: mapping, workflows: "[\(Self.workflow("Joiner", "JOINED", ["sync"]))]", actions: Self.actions)
                _ = try await IdentityImportTests.imported(server, source: source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
                let errored = try await RunnerTests.tasks(server, state: "ERRORED", count: 1)
                let task = try #require(errored.first?["id"] as? String)
                let action = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/sync")
                let value = try #require(action.json["value"] as? [String: Any])
                let message = value["message"] as? String ?? ""
                #expect(message.contains("400") && message.contains("invalidValue") && message.contains("valid boolean"), "\(message)")
                #expect(value["jobs_started"] as? Int == 1, "a 400 is not retried")
                #expect(try await scim.resources("/Users").isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aStoppedTargetIsTransientAndRetried(kind: DatabaseKind) async throws {
        let port = try await TestPeer.closedPort()
        try await TestServer.run(kind) { server in
            let source = try await Self.setUp(
                server, url: "http://127.0.0.1:\(port)/v2", retryCount: 2, workflows: "[\(Self.workflow("Joiner", "JOINED", ["sync"]))]", actions: Self.actions)
            _ = try await IdentityImportTests.imported(server, source: source, "employee_id,display_name,email,department\nE9,Barbara Liskov,barbara@example.com,Research\n")
            let errored = try await RunnerTests.tasks(server, state: "ERRORED", count: 1)
            let task = try #require(errored.first?["id"] as? String)
            let action = try await server.request(.get, "\(Self.prefix)/action_events/\(task)/sync")
            let value = try #require(action.json["value"] as? [String: Any])
            let message = value["message"] as? String ?? ""
            #expect(value["jobs_started"] as? Int == 3 && message.contains("connection refused") && message.contains("gave up after 3 attempts"), "\(value)")
        }
    }
}
