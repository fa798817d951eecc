import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenTestSupport

/// Review workflows, certifications and rows made through the API.
enum ReviewFixtures {
    static let base = "/api/preview/awf"

    /// A new workflow's id.
    static func workflow(_ server: TestServer, name: String = "Quarterly review") async throws -> String {
        let response = try await server.request(.post, "\(base)/workflows", json: #"{"name": "\#(name)"}"#)
        #expect(response.status == .ok, "\(response.text)")
        return (response.json["value"] as? [String: Any])?["workflow_id"] as? String ?? ""
    }

    /// A new certification's id, of a new workflow unless one is given.
    static func certification(_ server: TestServer, workflowID: String? = nil, name: String = "Q3") async throws -> String {
        var workflow = workflowID ?? ""
        if workflowID == nil { workflow = try await self.workflow(server) }
        let response = try await server.request(.post, "\(base)/certifications", json: #"{"workflow_id": "\#(workflow)", "name": "\#(name)"}"#)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["certification_id"] as? String ?? ""
    }

    /// Loads `body` into a certification and returns the response.
    static func load(_ server: TestServer, _ certification: String, _ body: String, contentType: String = "application/json") async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(server.adminKey)"]
        headers[.contentType] = contentType
        return try await server.client.execute(
            uri: "\(base)/certifications/\(certification)/results:import", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Six rows with properties of every kind: booleans, strings, numbers, string lists, a property
    /// that is a string in one row and a number in another, and one only some rows have.
    static let rows = """
        [
          {"result_id": 1, "source": {"name": "Ada Lovelace", "is_active": true, "logins": 41, "tags": ["admin", "eng"], "code": "A1"},
           "destination": {"name": "payroll-db"}, "abstract_permissions": ["Read"], "concrete_permissions": ["SELECT"],
           "reviewers": [{"user_type": "OktaUser", "id": "u1", "email": "rev@example.com", "name": "Rev"}]},
          {"result_id": 2, "source": {"name": "Grace Hopper", "is_active": false, "logins": 0, "tags": ["eng"], "code": 7},
           "destination": {"name": "payroll-db"}, "abstract_permissions": ["Write"], "concrete_permissions": ["UPDATE", "INSERT"]},
          {"result_id": 3, "source": {"name": "alan turing", "is_active": true, "logins": 3.5},
           "destination": {"name": "wiki"}, "abstract_permissions": ["Read"], "decision": "REJECTED", "notes": "left"},
          {"result_id": 4, "source": {"name": "Edsger Dijkstra", "is_active": false, "nickname": "EWD"},
           "destination": {"name": "wiki", "owner": null}},
          {"result_id": 5, "source": {"name": "Barbara Liskov", "is_active": true, "tags": []}, "destination": {"name": "git"}},
          {"result_id": 6, "source": {"name": "Ken Thompson"}, "destination": {"name": "git"}}
        ]
        """
}
