import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct AccessReviewsDemoTests {
    private func rows(_ server: TestServer, _ certification: String, filter: String) async throws -> [[String: Any]] {
        let response = try await server.request(
            .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("filter", filter), ("page_size", "2000")]))
        #expect(response.status == .ok, "\(response.text)")
        return response.json["values"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.kinds)
    func theDemoReviewIsRealisticAndRepeatable(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let demo = AccessReviewsDemo(database: server.database)
            let first = try await demo.seed(results: 1500, seed: 9)
            let second = try await demo.seed(results: 1500, seed: 9)
            #expect(first.rows == 1500 && first.certificationID != second.certificationID)
            let cert = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(first.certificationID)").json["value"] as? [String: Any]
            #expect(cert?["total_result_count"] as? Int == 1500)

            let engineering = try await rows(server, first.certificationID, filter: #"source.department eq "engineering""#).count
            #expect((375...525).contains(engineering), "\(engineering) of 1500 in Engineering")
            let inactive = try await rows(server, first.certificationID, filter: #"source.is_active ne "true""#).count
            #expect((100...260).contains(inactive), "\(inactive) of 1500 inactive")
            let recent = try await rows(server, first.certificationID, filter: "source.login_count ge 1000 and concrete_permissions pr").count
            #expect((600...900).contains(recent))
            let decided = try await rows(server, first.certificationID, filter: #"decision ne "RESULT_DECISION_NONE""#)
            #expect(!decided.isEmpty && decided.allSatisfy { ($0["notes"] as? String)?.isEmpty == false })
            let all = try await rows(server, first.certificationID, filter: "result_id ge 0")
            #expect(all.allSatisfy { ($0["reviewers"] as? [[String: String]])?.first?["email"]?.hasPrefix("manager") == true })

            // The demo workflow's smart actions each have rows to change, and are its alone.
            #expect(first.definitionIDs.count == 3)
            for id in first.definitionIDs {
                let preview = try await server.request(
                    .post, "\(ReviewFixtures.base)/certifications/\(first.certificationID)/results:apply_smart_action",
                    json: #"{"smart_action_definition_id": "\#(id)", "dry_run": true}"#
                ).json["value"] as? [String: Any]
                #expect((preview?["changed"] as? Int ?? 0) > 0, "\(id): \(preview ?? [:])")
            }
            let definitions = try await server.request(.get, "\(ReviewFixtures.base)/smart_action_definitions?workflow_id=\(first.workflowID)")
            #expect((definitions.json["values"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == first.definitionIDs)

            // The same seed gives the same rows.
            let again = try await rows(server, second.certificationID, filter: "result_id ge 0")
            #expect(all.map { $0["source"] as? [String: AnyHashable] } == again.map { $0["source"] as? [String: AnyHashable] })
        }
    }
}
