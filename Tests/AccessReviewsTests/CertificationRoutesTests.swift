import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct CertificationRoutesTests {
    static let base = ReviewFixtures.base

    @Test(arguments: TestDatabase.kinds)
    func workflowsAndCertificationsCreateListAndGet(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let quarterly = try await ReviewFixtures.workflow(server, name: "Quarterly")
            let yearly = try await ReviewFixtures.workflow(server, name: "Yearly")
            let workflows = try await server.request(.get, "\(Self.base)/workflows?order_by=name%20asc").json["values"] as? [[String: Any]] ?? []
            #expect(workflows.compactMap { $0["workflow_id"] as? String } == [quarterly, yearly])
            #expect((workflows.first?["creator"] as? [String: String])?["user_type"] == "ApiKey")
            let one = try await server.request(.get, "\(Self.base)/workflows/\(yearly)").json["value"] as? [String: Any]
            #expect(one?["name"] as? String == "Yearly")

            // Veza's create body, with its snapshot and reviewer-assignment members, is accepted.
            let created = try await server.request(.post, "\(Self.base)/certifications", json: """
                {"workflow_id": "\(quarterly)", "name": "Q1", "notes": "first", "due_date": "2026-03-31T00:00:00+02:00",
                 "data_source": 0, "reviewer_assignment": {"users_manager": true}, "automation_ids": []}
                """)
            #expect(created.status == .ok, "\(created.text)")
            let q1 = created.json["certification_id"] as? String ?? ""
            let q2 = try await ReviewFixtures.certification(server, workflowID: quarterly, name: "Q2")
            let y1 = try await ReviewFixtures.certification(server, workflowID: yearly, name: "Y1")

            let cert = try await server.request(.get, "\(Self.base)/certifications/\(q1)").json["value"] as? [String: Any]
            #expect(cert?["due_date"] as? String == "2026-03-30T22:00:00.000000000Z")
            #expect(cert?["workflow_id"] as? String == quarterly && cert?["notes"] as? String == "first")
            #expect(cert?["total_result_count"] as? Int == 0 && cert?["results_updated_at"] is NSNull)

            let all = try await server.request(.get, "\(Self.base)/certifications?order_by=name%20asc")
            #expect((all.json["values"] as? [[String: Any]])?.compactMap { $0["certification_id"] as? String } == [q1, q2, y1])
            #expect(all.json["total_result_count"] as? Int == 3 && all.json["has_more"] as? Bool == false)
            let page = try await server.request(.get, "\(Self.base)/certifications?workflow_id=\(quarterly)&page_size=1&order_by=name%20asc")
            #expect((page.json["values"] as? [[String: Any]])?.first?["certification_id"] as? String == q1)
            #expect(page.json["total_result_count"] as? Int == 2 && page.json["has_more"] as? Bool == true)
            let filtered = try await server.request(.get, TestServer.uri("\(Self.base)/certifications", [("filter", #"name sw "q""#)]))
            #expect(filtered.json["total_result_count"] as? Int == 2)
        }
    }

    @Test func badInputIsRejected() async throws {
        try await TestServer.run { server in
            let workflow = try await ReviewFixtures.workflow(server)
            let cases: [(String, String, String)] = [
                ("workflows", #"{"name": " "}"#, "name is required"),
                ("workflows", #"{"description": "x"}"#, "name is required"),
                ("workflows", #"{"name": "x", "colour": "red"}"#, "not a field of a new review workflow"),
                ("certifications", #"{"name": "x"}"#, "workflow_id is required"),
                ("certifications", #"{"workflow_id": "nope"}"#, "names no review workflow"),
                ("certifications", #"{"workflow_id": "\#(workflow)", "due_date": "soon"}"#, "due_date"),
                ("certifications", #"{"workflow_id": "\#(workflow)", "snapshot": 1}"#, "not a field of a new certification"),
            ]
            for (resource, body, words) in cases {
                let response = try await server.request(.post, "\(Self.base)/\(resource)", json: body)
                #expect(response.expectEnvelope(status: 400, code: "InvalidArgument").contains(words), "\(body) → \(response.text)")
            }
            try await server.request(.get, "\(Self.base)/certifications/nope").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.get, "\(Self.base)/workflows/nope").expectEnvelope(status: 404, code: "NotFound")
            let viewer = try await server.key(.viewer)
            try await server.request(.post, "\(Self.base)/workflows", key: viewer, json: #"{"name": "x"}"#).expectEnvelope(status: 403, code: "PermissionDenied")
            #expect(try await server.request(.get, "\(Self.base)/certifications", key: viewer).status == .ok)
        }
    }
}
