import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct SmartActionDefinitionRoutesTests {
    static let path = "/api/preview/awf/smart_action_definitions"

    /// The seed page's two example payloads, verbatim.
    static let rejectInactive = #"""
        {
          "apply_to_all_rows": "false",
          "description": "Reject users where the user `is active` value is not `true`",
          "filter": "source.is_active ne \"true\"",
          "mutable_fields": {
            "decision": "RESULT_DECISION_REJECTED"
          },
          "mutable_filter": "",
          "name": "Reject inactive users",
          "workflow_id": ""
        }
        """#
    static let signOffRejected = #"""
        {
          "apply_to_all_rows": "false",
          "description": "Sign off on all rejected rows",
          "filter": "",
          "mutable_fields": {
            "signed_off_state": "SIGNED_OFF"
          },
          "mutable_filter": "decision eq \"RESULT_DECISION_REJECTED\"",
          "name": "Sign off rejected rows",
          "workflow_id": ""
        }
        """#

    private func create(_ server: TestServer, _ json: String) async throws -> String {
        let response = try await server.request(.post, Self.path, json: json)
        #expect(response.status == .ok, "\(response.text)")
        let id = response.json["id"] as? String ?? ""
        #expect(!id.isEmpty && response.json.count == 1)
        return id
    }

    private func names(_ server: TestServer, _ query: String = "", key: String? = nil) async throws -> [String] {
        let response = try await server.request(.get, Self.path + query, key: key)
        #expect(response.status == .ok, "\(response.text)")
        #expect(response.json["has_more"] as? Bool == false)
        return (response.json["values"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test(arguments: TestDatabase.kinds)
    func theSeedPayloadsRoundTrip(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let reject = try await create(server, Self.rejectInactive)
            let signOff = try await create(server, Self.signOffRejected)
            #expect(reject != signOff)

            let got = try await server.request(.get, "\(Self.path)/\(reject)")
            let value = got.json["value"] as? [String: Any] ?? [:]
            #expect(value["id"] as? String == reject)
            #expect(value["name"] as? String == "Reject inactive users")
            #expect(value["description"] as? String == "Reject users where the user `is active` value is not `true`")
            #expect(value["filter"] as? String == #"source.is_active ne "true""#)
            #expect(value["mutable_filter"] as? String == "")
            #expect(value["workflow_id"] as? String == "")
            #expect(value["apply_to_all_rows"] as? Bool == false)
            #expect(value["mutable_fields"] as? [String: String] == ["decision": "RESULT_DECISION_REJECTED"])

            let listed = try await server.request(.get, Self.path).json["values"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["id"] as? String } == [reject, signOff])
            #expect(listed.last?["mutable_fields"] as? [String: String] == ["signed_off_state": "SIGNED_OFF"])
            #expect(listed.last?["mutable_filter"] as? String == #"decision eq "RESULT_DECISION_REJECTED""#)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func workflowIDSelectsThatWorkflowsAndTheGlobalOnes(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            _ = try await create(server, Self.rejectInactive)
            _ = try await create(server, #"{"name": "one", "workflow_id": "wf-1", "apply_to_all_rows": true, "mutable_fields": {"notes": "n"}}"#)
            _ = try await create(server, #"{"name": "two", "workflow_id": "wf-2", "apply_to_all_rows": "TRUE", "mutable_fields": {"decision": 2}}"#)
            let all = ["Reject inactive users", "one", "two"]
            #expect(try await names(server) == all)
            #expect(try await names(server, "?workflow_id=") == all)
            #expect(try await names(server, "?workflow_id=wf-1") == ["Reject inactive users", "one"])
            #expect(try await names(server, "?workflow_id=wf-3") == ["Reject inactive users"])
            #expect(try await names(server, "?workflow_id=wf-2", key: try await server.key(.reviewer)) == ["Reject inactive users", "two"])
            #expect(try await names(server, "", key: try await server.key(.viewer)) == all)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func updateReplacesWhatIsSentAndDeleteRemoves(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let id = try await create(server, Self.rejectInactive)
            let renamed = try await server.request(.put, Self.path, json: #"{"value": {"id": "\#(id)", "name": "Reject the inactive", "mutable_fields": {"decision": "REJECTED", "notes": "inactive"}}}"#)
            #expect(renamed.status == .ok && renamed.text == "{}", "\(renamed.text)")
            var value = try await server.request(.get, "\(Self.path)/\(id)").json["value"] as? [String: Any] ?? [:]
            #expect(value["name"] as? String == "Reject the inactive")
            #expect(value["filter"] as? String == #"source.is_active ne "true""#)
            #expect(value["mutable_fields"] as? [String: String] == ["decision": "RESULT_DECISION_REJECTED", "notes": "inactive"])

            let byPath = try await server.request(.put, "\(Self.path)/\(id)", json: #"{"workflow_id": "wf-9", "apply_to_all_rows": true, "filter": ""}"#)
            #expect(byPath.status == .ok, "\(byPath.text)")
            value = try await server.request(.get, "\(Self.path)/\(id)").json["value"] as? [String: Any] ?? [:]
            #expect(value["workflow_id"] as? String == "wf-9" && value["apply_to_all_rows"] as? Bool == true && value["filter"] as? String == "")

            // An update that would leave the definition unable to match anything is refused whole.
            let never = try await server.request(.put, "\(Self.path)/\(id)", json: #"{"apply_to_all_rows": false, "name": "never"}"#)
            #expect(never.expectEnvelope(status: 400, code: "InvalidArgument").contains("can never match"))
            #expect(try await names(server) == ["Reject the inactive"])

            try await server.request(.put, Self.path, json: #"{"value": {"id": "nope", "name": "x"}}"#).expectEnvelope(status: 404, code: "NotFound")
            let mismatch = try await server.request(.put, "\(Self.path)/\(id)", json: #"{"value": {"id": "other"}}"#)
            #expect(mismatch.expectEnvelope(status: 400, code: "InvalidArgument").contains("differs"))
            let noID = try await server.request(.put, Self.path, json: #"{"value": {"name": "x"}}"#)
            #expect(noID.expectEnvelope(status: 400, code: "InvalidArgument").contains("value.id is required"))

            let deleted = try await server.request(.delete, "\(Self.path)/\(id)")
            #expect(deleted.status == .ok && deleted.text == "{}")
            try await server.request(.get, "\(Self.path)/\(id)").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.delete, "\(Self.path)/\(id)").expectEnvelope(status: 404, code: "NotFound")
            #expect(try await names(server).isEmpty)
        }
    }

    /// Each malformed body, the field its 400 names, and words its message contains.
    static let malformed: [(String, String, String)] = [
        (#"{"filter": "source.x eq 1", "mutable_fields": {"updated_by": {"id": "u"}}}"#, "mutable_fields.updated_by", "only decision, notes and signed_off_state"),
        (#"{"filter": "source.x eq 1", "mutable_fields": {}}"#, "mutable_fields", "sets nothing"),
        (#"{"filter": "source.x eq 1"}"#, "mutable_fields", "sets nothing"),
        (#"{"filter": "source.x eq 1", "mutable_fields": {"decision": "MAYBE"}}"#, "mutable_fields.decision", "not a decision"),
        (#"{"filter": "source.x eq 1", "mutable_fields": {"signed_off_state": "DONE"}}"#, "mutable_fields.signed_off_state", "SIGNED_OFF"),
        (#"{"filter": "source.x eq 1", "mutable_fields": {"signed_off_state": "NOT_SIGNED_OFF"}}"#, "mutable_fields.signed_off_state", "cannot undo a sign-off"),
        (#"{"filter": "source.is_active co", "mutable_fields": {"notes": "n"}}"#, "filter", "invalid filter"),
        (#"{"filter": "source.is_active gt true", "mutable_fields": {"notes": "n"}}"#, "filter.source.is_active", "booleans"),
        (#"{"filter": "owner eq \"x\"", "mutable_fields": {"notes": "n"}}"#, "filter.owner", "source.*, destination.*"),
        (#"{"filter": "decision eq \"MAYBE\"", "mutable_fields": {"notes": "n"}}"#, "filter.decision", "RESULT_DECISION_REJECTED"),
        (#"{"mutable_filter": "source.name eq \"x\"", "mutable_fields": {"notes": "n"}}"#, "mutable_filter.source.name", "invalid mutable_filter: unknown field"),
        (#"{"mutable_filter": "signed_off_state co \"S\"", "mutable_fields": {"notes": "n"}}"#, "mutable_filter.signed_off_state", "operator \"co\""),
        (#"{"filter": " ", "mutable_filter": "", "apply_to_all_rows": "false", "mutable_fields": {"notes": "n"}}"#, "apply_to_all_rows", "can never match"),
        (#"{"apply_to_all_rows": "maybe", "mutable_fields": {"notes": "n"}}"#, "apply_to_all_rows", "true or false"),
        (#"{"filtr": "source.x eq 1", "mutable_fields": {"notes": "n"}}"#, "filtr", "not a field of a smart action definition"),
        (#"{"name": 7, "apply_to_all_rows": true, "mutable_fields": {"notes": "n"}}"#, "name", "wrong type"),
        (#"{"name": "\#(String(repeating: "n", count: 257))", "apply_to_all_rows": true, "mutable_fields": {"notes": "n"}}"#, "name", "maximum is 256"),
        ("[1]", "", "wrong type"),
        ("{", "body", "not valid JSON"),
    ]

    @Test(arguments: TestDatabase.kinds)
    func malformedDefinitionsAreRejectedNamingTheProblem(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            for (body, field, words) in Self.malformed {
                let response = try await server.request(.post, Self.path, json: body)
                let message = response.expectEnvelope(status: 400, code: "InvalidArgument")
                #expect(message.contains(words), "\(body) → \(message)")
                let details = response.json["details"] as? [[String: Any]] ?? []
                let violations = details.compactMap { $0["field_violations"] as? [[String: String]] }.first ?? []
                #expect(violations.first?["field"] == field, "\(body) → \(response.text)")
            }
            try await server.request(.post, Self.path).expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(try await names(server).isEmpty)
        }
    }

    @Test func onlyAdminsAndOperatorsChangeDefinitions() async throws {
        try await TestServer.run { server in
            let id = try await create(server, Self.rejectInactive)
            let operatorKey = try await server.key(.operator)
            let created = try await server.request(.post, Self.path, key: operatorKey, json: Self.signOffRejected)
            #expect(created.status == .ok)
            for role in [Role.reviewer, .viewer] {
                let key = try await server.key(role)
                #expect(try await server.request(.get, "\(Self.path)/\(id)", key: key).status == .ok)
                try await server.request(.post, Self.path, key: key, json: Self.signOffRejected).expectEnvelope(status: 403, code: "PermissionDenied")
                try await server.request(.put, "\(Self.path)/\(id)", key: key, json: #"{"name": "x"}"#).expectEnvelope(status: 403, code: "PermissionDenied")
                try await server.request(.delete, "\(Self.path)/\(id)", key: key).expectEnvelope(status: 403, code: "PermissionDenied")
            }
            try await server.request(.get, Self.path, key: "").expectEnvelope(status: 401, code: "Unauthenticated")
            #expect(try await names(server) == ["Reject inactive users", "Sign off rejected rows"])
        }
    }
}
