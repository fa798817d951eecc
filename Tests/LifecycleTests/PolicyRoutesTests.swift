import Foundation
import HummingbirdTesting
import Lifecycle
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

@Suite struct PolicyRoutesTests {
    static let path = "/api/private/lifecycle_management/policies"

    /// One HR source with one identity, and a connector of each type.
    static let environment = FixedPolicyEnvironment(
        sourceIDs: ["hr"],
        identities: [
            IdentitySnapshot(
                id: "e1", name: "Ann Lee", sourceID: "hr",
                attributes: [
                    "employee_id": "e1", "email": "Ann@Corp.Example", "manager_email": "boss@corp.example", "first_name": "Ann",
                    "department": "Engineering", "is_active": true, "is_manager": false, "employee_number": 7,
                ])
        ],
        connectors: ["crm": .rest, "mail": .smtp, "hooks": .webhook])

    static func createBody(name: String = "Joiners", config: String = PolicyPlanTests.document) -> String {
        #"{"name": "\#(name)", "description": "JML for HR", "datasource_ids": ["hr"], "retry_count": 3, "safety_limit_settings": {"max_changes_percent": 20}, "config": \#(config)}"#
    }

    private func create(_ server: TestServer, _ body: String = createBody()) async throws -> String {
        let response = try await server.request(.post, Self.path, json: body)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["id"] as? String ?? ""
    }

    private func value(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        #expect(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        return response.json["value"] as? [String: Any] ?? [:]
    }

    @Test(arguments: TestDatabase.kinds)
    func aPolicyIsCreatedWithADraftAndPublishedThroughItsVersions(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, policyEnvironment: Self.environment) { server in
            let id = try await create(server)
            let policy = value(try await server.request(.get, "\(Self.path)/\(id)"))
            #expect(policy["name"] as? String == "Joiners" && policy["state"] as? String == "INITIAL")
            #expect(policy["current_version_number"] as? Int == 0 && policy["draft_version_number"] as? Int == 1)
            #expect(policy["retry_count"] as? Int == 3 && policy["no_retry_for_failed_workflows"] as? Bool == false)
            #expect(policy["safety_limit_settings"] as? [String: Int] == ["max_changes_absolute": 0, "max_changes_percent": 20])
            #expect(policy["current_version"] == nil)
            #expect((policy["created_at"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/) != nil)

            let draft = value(try await server.request(.get, "\(Self.path)/\(id)/versions/1"))
            #expect(draft["state"] as? String == "DRAFT" && draft["published_at"] is NSNull && draft["published_by"] as? String == "")
            let config = draft["config"] as? [String: Any]
            #expect((config?["actions"] as? [Any])?.count == 4)

            let running = try await server.request(.patch, "\(Self.path)/\(id)", json: #"{"state": "RUNNING"}"#)
            #expect(running.expectEnvelope(status: 400, code: "FailedPrecondition").contains("no published version"))

            let published = value(try await server.request(.post, "\(Self.path)/\(id)/versions/1:publish"))
            #expect(published["state"] as? String == "PUBLISHED" && published["published_by"] as? String == "test-admin")
            let live = value(try await server.request(.get, "\(Self.path)/\(id)"))
            #expect(live["current_version_number"] as? Int == 1 && live["draft_version_number"] as? Int == 0)
            #expect((live["current_version"] as? [String: Any])?["version_number"] as? Int == 1)

            let put = try await server.request(.put, "\(Self.path)/\(id)/versions/1", json: #"{"config": {}}"#)
            let message = put.expectEnvelope(status: 400, code: "FailedPrecondition")
            #expect(message.contains("version 1 of policy \(id) is PUBLISHED; only a DRAFT version can be changed"))
            #expect(put.text.contains("versions:create_draft"))

            let copy = value(try await server.request(.post, "\(Self.path)/\(id)/versions:create_draft"))
            #expect(copy["version_number"] as? Int == 2 && copy["state"] as? String == "DRAFT")
            let copied = try JSONSerialization.data(withJSONObject: copy["config"] ?? [:], options: .sortedKeys)
            #expect(copied == (try JSONSerialization.data(withJSONObject: config ?? [:], options: .sortedKeys)))
            try await server.request(.post, "\(Self.path)/\(id)/versions:create_draft").expectEnvelope(status: 409, code: "AlreadyExists")

            let rejected = try await server.request(.put, "\(Self.path)/\(id)/versions/2", json: #"{"config": \#(PolicyValidationTests.broken)}"#)
            _ = rejected.expectEnvelope(status: 400, code: "InvalidArgument")
            let rejections = (rejected.json["details"] as? [[String: Any]] ?? []).compactMap { $0["field_violations"] as? [Any] }.flatMap { $0 }
            #expect(rejections.count == 15, "\(rejections)")
            let unchanged = value(try await server.request(.get, "\(Self.path)/\(id)/versions/2"))
            #expect(((unchanged["config"] as? [String: Any])?["actions"] as? [Any])?.count == 4)

            let smaller = #"{"workflows": [], "actions": [{"name": "Wait", "type": "PAUSE", "config": {"duration": "1d"}}]}"#
            let updated = value(try await server.request(.put, "\(Self.path)/\(id)/versions/2", json: #"{"value": {"policy_id": "\#(id)", "version_number": 2, "state": "DRAFT", "config": \#(smaller)}}"#))
            #expect((updated["config"] as? [String: Any])?["workflows"] as? [Any] != nil)
            _ = value(try await server.request(.post, "\(Self.path)/\(id)/versions/2:publish"))

            let versions = try await server.request(.get, "\(Self.path)/\(id)/versions")
            #expect(versions.json["has_more"] as? Bool == false)
            let states = (versions.json["values"] as? [[String: Any]] ?? []).map { "\($0["version_number"] ?? "")=\($0["state"] ?? "")" }
            #expect(states == ["1=RETIRED", "2=PUBLISHED"])
            let retired = value(try await server.request(.get, "\(Self.path)/\(id)/versions/1"))
            #expect((retired["config"] as? [String: Any])?["actions"] as? [Any] != nil && (retired["config"] as? [String: Any]).map { ($0["actions"] as? [Any])?.count } == 4)
            try await server.request(.post, "\(Self.path)/\(id)/versions/1:publish").expectEnvelope(status: 400, code: "FailedPrecondition")

            for state in ["RUNNING", "PAUSED", "DRY_RUN", "3"] {
                let changed = value(try await server.request(.patch, "\(Self.path)/\(id)?update_mask=state", json: #"{"state": \#(state == "3" ? "3" : "\"\(state)\"")}"#))
                #expect(changed["state"] as? String == (state == "3" ? "DRY_RUN" : state))
            }
            let list = try await server.request(.get, Self.path)
            #expect((list.json["values"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            let store = PolicyStore(database: server.database, environment: Self.environment)
            let watching = try await store.policies(sourceID: "hr")
            #expect(watching.map(\.id) == [id] && watching.first?.currentVersion?.versionNumber == 2)
            #expect(watching.first?.currentVersion?.config.action(named: "Wait")?.type == .pause)
            #expect(try await store.policies(sourceID: "ats").isEmpty)
            let first = try await store.version(policyID: id, number: 1)
            #expect(first.state == .retired)
            let plan = try first.config.plan(for: Self.environment.identities[0], change: .joined, changedAttributes: [])
            #expect(plan.map(\.workflow) == ["Joiner"])
            let viewer = try await server.key(.viewer)
            #expect(try await server.request(.get, "\(Self.path)/\(id)", key: viewer).status == .ok)
            try await server.request(.patch, "\(Self.path)/\(id)", key: viewer, json: #"{"state": "PAUSED"}"#).expectEnvelope(status: 403, code: "PermissionDenied")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func everyProblemOfACreateIsListedInOne400AndNothingIsSaved(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, policyEnvironment: Self.environment) { server in
            let response = try await server.request(.post, Self.path, json: #"""
                {"name": "", "datasource_ids": ["hr", "crm-export"], "retry_count": -1, "colour": "red",
                 "config": \#(PolicyValidationTests.broken)}
                """#)
            _ = response.expectEnvelope(status: 400, code: "InvalidArgument")
            let details = response.json["details"] as? [[String: Any]] ?? []
            let violations = details.compactMap { $0["field_violations"] as? [[String: String]] }.flatMap { $0 }
            let fields = Set(violations.compactMap { $0["field"] })
            for field in ["name", "retry_count", "colour", "config.workflows[0].trigger_string", "config.actions[0].config.method",
                          "config.actions[2].type", "config.workflows[1].name", "config.actions[4].config.body",
                          "datasource_ids[1]", "config.actions[3].config.connector", "config.actions[3].config.body", "config.actions[4].config.connector"] {
                #expect(fields.contains(field), "\(field) not in \(fields)")
            }
            #expect(violations.count == 19, "\(violations)")
            let environmentOnly = try await server.request(.post, Self.path, json: #"""
                {"name": "p", "datasource_ids": ["hr", "crm-export"], "config": {"actions": [
                  {"name": "Mail", "type": "SEND_NOTIFICATION", "config": {"connector": "hooks", "to": ["{email}"], "subject": "s", "body": "Hi {nickname}"}},
                  {"name": "Post", "type": "CUSTOM_ACTION", "config": {"connector": "nowhere", "method": "DELETE", "path": "/u/{employee_id}"}}]}}
                """#)
            _ = environmentOnly.expectEnvelope(status: 400, code: "InvalidArgument")
            let found = (environmentOnly.json["details"] as? [[String: Any]] ?? []).compactMap { $0["field_violations"] as? [[String: String]] }.flatMap { $0 }
            #expect(Set(found.compactMap { $0["field"] }) == [
                "datasource_ids[1]", "config.actions[0].config.connector", "config.actions[0].config.body", "config.actions[1].config.connector",
            ], "\(found)")
            let list = try await server.request(.get, Self.path)
            #expect((list.json["values"] as? [Any])?.isEmpty == true)

            _ = try await create(server)
            let taken = try await server.request(.post, Self.path, json: Self.createBody())
            #expect(taken.expectEnvelope(status: 409, code: "AlreadyExists").contains("already named \"Joiners\""))
            let racing = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { Int(try await server.request(.post, Self.path, json: Self.createBody(name: "Racers")).status.code) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(racing.sorted() == [200, 409, 409, 409])
            try await server.request(.get, "\(Self.path)/nope").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.get, "\(Self.path)/nope/versions/x").expectEnvelope(status: 400, code: "InvalidArgument")
            try await server.request(.post, Self.path, json: "[1]").expectEnvelope(status: 400, code: "InvalidArgument")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func testRendersTheSettingsForAnIdentityAndChangesNothing(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, policyEnvironment: Self.environment) { server in
            let id = try await create(server)
            let before = try await server.request(.get, "\(Self.path)/\(id)/versions").text
            let result = value(try await server.request(.post, "\(Self.path)/\(id):test", json: #"{"identity_id": "e1"}"#))
            #expect(result["workflows_matched"] as? [String] == ["Joiner"])
            let actions = result["actions"] as? [[String: Any]] ?? []
            #expect(actions.map { $0["name"] as? String } == ["Create account", "Welcome", "Wait"])
            #expect(actions.map { $0["type"] as? String } == ["SEND_REST_PAYLOAD", "SEND_NOTIFICATION", "PAUSE"])
            let http = actions.first?["rendered"] as? [String: Any]
            #expect(http?["method"] as? String == "POST" && http?["path"] as? String == "/users/e1")
            let body = http?["body"] as? [String: Any] ?? [:]
            #expect(body.count == 2 && body["userName"] as? String == "ann@corp.example" && body["number"] as? Int == 7, "\(body)")
            let mail = actions[1]["rendered"] as? [String: Any]
            #expect(mail?["to"] as? [String] == ["Ann@Corp.Example", "boss@corp.example"] && mail?["subject"] as? String == "Welcome Ann")
            #expect((result["messages"] as? [String])?.first?.contains("version 1 (DRAFT)") == true)

            let given = value(try await server.request(.post, "\(Self.path)/\(id):test", json: #"""
                {"identity": {"id": "x9", "name": "Bo", "attributes": {"employee_id": "x9", "is_active": true, "is_manager": "true", "department": "Sales"}},
                 "change": "joined"}
                """#))
            let givenActions = given["actions"] as? [[String: Any]] ?? []
            #expect(givenActions.map { $0["name"] as? String } == ["Create account", "Welcome", "Notify HR"])
            #expect(givenActions[0]["error"] as? String == "the identity has no attribute \"employee_number\"", "\(givenActions)")
            #expect(givenActions[1]["skipped"] as? Bool == true)
            #expect(givenActions[1]["error"] as? String == "the identity has no attribute \"email\"")
            #expect(givenActions[2]["error"] as? String == "the identity has no attribute \"employee_number\"")

            let mover = value(try await server.request(.post, "\(Self.path)/\(id):test", json: #"{"identity_id": "e1", "change": "CHANGED", "changed_attributes": ["phone"]}"#))
            #expect((mover["workflows_matched"] as? [String])?.isEmpty == true)
            #expect((mover["messages"] as? [String])?.contains("no workflow is triggered by this change") == true)

            try await server.request(.post, "\(Self.path)/\(id):test", json: #"{"identity_id": "ghost"}"#).expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.post, "\(Self.path)/\(id):test", json: #"{"change": "MOVED"}"#).expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(try await server.request(.get, "\(Self.path)/\(id)/versions").text == before)
        }
    }
}
