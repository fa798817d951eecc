import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ResultUpdateTests {
    private func put(_ server: TestServer, _ certification: String, _ value: String, key: String? = nil, force: Bool = false) async throws -> TestResponse {
        let path = "\(ReviewFixtures.base)/certifications/\(certification)/results\(force ? ":force_update" : "")"
        return try await server.request(force ? .post : .put, path, key: key, json: #"{"value": \#(value)}"#)
    }

    private func row(_ server: TestServer, _ certification: String, _ id: Int) async throws -> [String: Any] {
        try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/\(id)").json["value"] as? [String: Any] ?? [:]
    }

    private func entries(_ row: [String: Any]) -> [[String: Any]] {
        (row["action_log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.kinds)
    func decisionsNotesReviewersAndSignOffAreLogged(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let decided = try await put(server, certification, #"{"result_id": 2, "decision": "REJECTED", "notes": "Over-privileged"}"#)
            #expect(decided.status == .ok && decided.text == "{}", "\(decided.text)")
            var two = try await row(server, certification, 2)
            #expect(two["decision"] as? String == "RESULT_DECISION_REJECTED" && two["notes"] as? String == "Over-privileged")
            #expect((two["updated_by"] as? [String: String])?["user_type"] == "ApiKey" && two["updated_at"] is String)
            var log = entries(two)
            #expect(log.count == 1 && log.first?["action"] as? String == "UPDATE" && log.first?["note"] as? String == "Over-privileged")
            #expect((log.first?["decision_detail"] as? [String: String]) == ["decision": "RESULT_DECISION_REJECTED", "note": "Over-privileged"])
            #expect(log.first?["reviewer_detail"] == nil)

            // The same values again change nothing and log nothing; the typo "decisions" and numbers work.
            _ = try await put(server, certification, #"{"result_id": 2, "decisions": 3}"#)
            #expect(entries(try await row(server, certification, 2)).count == 1)

            let reviewer = #"{"user_type": "OktaUser", "id": "u9", "email": "kim@example.com", "name": "Kim"}"#
            _ = try await put(server, certification, #"{"result_id": 2, "reviewers": [\#(reviewer)], "notes": " "}"#)
            two = try await row(server, certification, 2)
            #expect(two["notes"] as? String == "")
            log = entries(two)
            let detail = log.last?["reviewer_detail"] as? [String: [[String: String]]]
            #expect(detail?["old_reviewers"] == [] && detail?["new_reviewers"]?.first?["email"] == "kim@example.com")

            _ = try await put(server, certification, #"{"result_id": 2, "signed_off_state": "SIGNED_OFF"}"#)
            two = try await row(server, certification, 2)
            #expect(two["signed_off_state"] as? String == "SIGNED_OFF" && two["signed_off_at"] is String)
            #expect(entries(two).last?["action"] as? String == "SIGN_OFF")
            let locked = try await put(server, certification, #"{"result_id": 2, "decision": "ACCEPTED"}"#)
            #expect(locked.expectEnvelope(status: 400, code: "FailedPrecondition").contains("force_update"))
            let unsign = try await put(server, certification, #"{"result_id": 2, "signed_off_state": "NOT_SIGNED_OFF"}"#)
            unsign.expectEnvelope(status: 400, code: "FailedPrecondition")

            let operatorKey = try await server.key(.operator)
            try await put(server, certification, #"{"result_id": 2, "signed_off_state": "NOT_SIGNED_OFF"}"#, key: operatorKey, force: true)
                .expectEnvelope(status: 403, code: "PermissionDenied")
            let forced = try await put(server, certification, #"{"result_id": 2, "signed_off_state": "NOT_SIGNED_OFF", "notification_status": "FAILED"}"#, force: true)
            #expect(forced.status == .ok, "\(forced.text)")
            two = try await row(server, certification, 2)
            #expect(two["signed_off_state"] as? String == "NOT_SIGNED_OFF" && two["signed_off_at"] is NSNull && two["signed_off_by"] == nil)
            #expect(entries(two).map { $0["action"] as? String } == ["UPDATE", "UPDATE", "SIGN_OFF", "FORCE_UPDATE"])
            #expect(try await row(server, certification, 1)["action_log"] as? [String: [String]] == ["entries": []])

            let cert = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)").json["value"] as? [String: Any]
            #expect(cert?["total_complete_count"] as? Int == 2)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func reviewersChangeOnlyTheirRows(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let reviewer = try await server.keys.create(name: "Rev", role: .reviewer, email: "rev@example.com", createdBy: "test").accessKey
            let own = try await put(server, certification, #"{"result_id": 1, "decision": "ACCEPTED"}"#, key: reviewer)
            #expect(own.status == .ok, "\(own.text)")
            #expect((entries(try await row(server, certification, 1)).last?["user"] as? [String: String])?["email"] == "rev@example.com")
            let other = try await put(server, certification, #"{"result_id": 2, "decision": "ACCEPTED"}"#, key: reviewer)
            #expect(other.expectEnvelope(status: 404, code: "NotFound").contains("result 2"))
            let viewer = try await server.key(.viewer)
            try await put(server, certification, #"{"result_id": 1, "decision": "ACCEPTED"}"#, key: viewer).expectEnvelope(status: 403, code: "PermissionDenied")
            #expect(try await row(server, certification, 2)["decision"] as? String == "RESULT_DECISION_NONE")
        }
    }

    @Test func badUpdatesAreRejected() async throws {
        try await TestServer.run { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let cases: [(String, String)] = [
                (#"{"result_id": 1, "decision": "MAYBE"}"#, "not a decision"),
                (#"{"result_id": 1, "decision": "RESULT_DECISION_UNKNOWN"}"#, "cannot be set"),
                (#"{"result_id": 1, "signed_off_state": "DONE"}"#, "signed_off_state"),
                (#"{"result_id": 1, "reviewers": [{"id": "x"}]}"#, "missing user_type, email, name"),
                (#"{"result_id": 1, "notification_status": "LOST"}"#, "not a notification status"),
                (#"{"decision": "ACCEPTED"}"#, "result_id is required"),
                (#"{"result_id": 1, "colour": "red"}"#, "not a field of a result update"),
                (#"{"result_id": -4}"#, "must be ≥ 0"),
            ]
            for (value, words) in cases {
                let response = try await put(server, certification, value)
                #expect(response.expectEnvelope(status: 400, code: "InvalidArgument").contains(words), "\(value) → \(response.text)")
            }
            let bare = try await server.request(.put, "\(ReviewFixtures.base)/certifications/\(certification)/results", json: #"{"result_id": 1}"#)
            #expect(bare.expectEnvelope(status: 400, code: "InvalidArgument").contains("value is required"))
            try await put(server, certification, #"{"result_id": 99, "decision": "ACCEPTED"}"#).expectEnvelope(status: 404, code: "NotFound")
            try await put(server, "nope", #"{"result_id": 1, "decision": "ACCEPTED"}"#).expectEnvelope(status: 404, code: "NotFound")
        }
    }

    /// PostgreSQL cannot store NUL characters; a request holding one gets a 400 there, never a 500.
    @Test(arguments: TestDatabase.kinds)
    func nulCharactersAreStoredOrRefusedNeverAFault(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let note = try await put(server, certification, #"{"result_id": 1, "notes": "a\u0000b"}"#)
            let load = try await ReviewFixtures.load(server, certification, #"[{"source": {"name": "x\u0000y"}}]"#)
            for response in [note, load] {
                if kind == .postgres {
                    #expect(response.expectEnvelope(status: 400, code: "InvalidArgument").contains("NUL character"))
                } else {
                    #expect(response.status == .ok, "\(response.text)")
                }
            }
        }
    }
}
