import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

/// A reviewer sees and changes only the rows whose reviewers include their key's email; admins,
/// operators and viewers see every row.
@Suite struct ReviewerAssignmentTests {
    static let kim = "kim@example.com"
    /// Kim's rows: 2, 3 (her email in other letter case), 5 (shared with Lee) and 8.
    static let kimsRows = [2, 3, 5, 8]

    static func reviewer(_ email: String) -> String {
        #"{"user_type": "OktaUser", "id": "\#(email)", "email": "\#(email)", "name": "\#(email)"}"#
    }

    static let rows: String = {
        let reviewers = [
            1: [reviewer("lee@example.com")], 2: [reviewer(kim)], 3: [reviewer("Kim@Example.COM")],
            4: [reviewer("lee@example.com")], 5: [reviewer("lee@example.com"), reviewer(kim)], 6: [reviewer("kimberly@example.com")],
            7: [], 8: [reviewer(kim)],
        ]
        let decisions = [3: "REJECTED", 4: "ACCEPTED"]
        return "[" + (1...8).map { id in
            #"{"result_id": \#(id), "source": {"name": "person \#(id)", "even": \#(id % 2 == 0)}, "destination": {"name": "app"}, "# +
                #""decision": "\#(decisions[id] ?? "NONE")", "reviewers": [\#(reviewers[id]!.joined(separator: ", "))]}"#
        }.joined(separator: ",\n") + "]"
    }()

    /// A certification holding `rows`.
    private func certification(_ server: TestServer) async throws -> String {
        let certification = try await ReviewFixtures.certification(server)
        #expect(try await ReviewFixtures.load(server, certification, Self.rows).status == .ok)
        return certification
    }

    /// The result ids `key` lists, one row a page, following every `next_page_token`.
    private func listed(_ server: TestServer, _ certification: String, key: String, filter: String = "") async throws -> [Int] {
        var ids: [Int] = []
        var token = ""
        repeat {
            let response = try await server.request(
                .get, TestServer.uri(
                    "\(ReviewFixtures.base)/certifications/\(certification)/results", [("page_size", "1"), ("page_token", token), ("filter", filter)]),
                key: key)
            #expect(response.status == .ok, "\(response.text)")
            ids += (response.json["values"] as? [[String: Any]] ?? []).map { $0["result_id"] as? Int ?? -1 }
            token = response.json["has_more"] as? Bool == true ? response.json["next_page_token"] as? String ?? "" : ""
        } while !token.isEmpty
        return ids
    }

    private func counts(_ server: TestServer, _ certification: String, key: String) async throws -> [Int] {
        let value = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)", key: key).json["value"] as? [String: Any]
        let listed = try await server.request(.get, "\(ReviewFixtures.base)/certifications", key: key).json["values"] as? [[String: Any]]
        return [value?["total_result_count"], value?["total_complete_count"], listed?.first?["total_result_count"]].map { $0 as? Int ?? -1 }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewerListsCountsGetsAndUpdatesOnlyTheirRows(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await certification(server)
            let kim = try await server.key(.reviewer, email: "KIM@example.com ")
            let viewer = try await server.key(.viewer)

            #expect(try await listed(server, certification, key: kim) == Self.kimsRows)
            #expect(try await listed(server, certification, key: kim, filter: "source.even eq true") == [2, 8])
            #expect(try await listed(server, certification, key: viewer) == Array(1...8))
            #expect(try await listed(server, certification, key: server.adminKey) == Array(1...8))
            #expect(try await counts(server, certification, key: kim) == [4, 1, 4])
            #expect(try await counts(server, certification, key: viewer) == [8, 2, 8])

            let path = "\(ReviewFixtures.base)/certifications/\(certification)/results"
            #expect(try await server.request(.get, "\(path)/5", key: kim).status == .ok)
            for id in [1, 6, 7] {
                try await server.request(.get, "\(path)/\(id)", key: kim).expectEnvelope(status: 404, code: "NotFound")
                #expect(try await server.request(.get, "\(path)/\(id)", key: viewer).status == .ok)
                try await server.request(.put, path, key: kim, json: #"{"value": {"result_id": \#(id), "decision": "ACCEPTED"}}"#)
                    .expectEnvelope(status: 404, code: "NotFound")
            }
            #expect(try await server.request(.put, path, key: kim, json: #"{"value": {"result_id": 8, "decision": "ACCEPTED"}}"#).status == .ok)
            #expect(try await counts(server, certification, key: kim) == [4, 2, 4])
            #expect(try await counts(server, certification, key: viewer) == [8, 3, 8])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewerExportsOnlyTheirRows(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await certification(server)
            let kim = try await server.key(.reviewer, email: Self.kim)
            func export(_ key: String, accept: String) async throws -> TestResponse {
                try await server.client.execute(
                    uri: "\(ReviewFixtures.base)/exports/access_review:create", method: .post,
                    headers: [.authorization: "Bearer \(key)", .accept: accept, .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"certification_id": "\#(certification)", "order_by": "result_id desc"}"#))
            }
            func ids(_ response: TestResponse) throws -> [Int] {
                #expect(response.status == .ok, "\(response.text)")
                return try CSVReader.records(Data(response.text.utf8)).dropFirst().map { Int($0[0]) ?? -1 }
            }
            #expect(try ids(try await export(kim, accept: "text/csv")) == Self.kimsRows.reversed())
            #expect(try ids(try await export(server.adminKey, accept: "text/csv")) == Array((1...8).reversed()))
            let job = try await export(kim, accept: "application/json")
            #expect(job.expectEnvelope(status: 400, code: "FailedPrecondition").contains("Accept: text/csv"))
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewersSmartActionsAndBatchesAreTheirOwn(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await certification(server)
            let kim = try await server.key(.reviewer, email: Self.kim)
            let lee = try await server.key(.reviewer, email: "lee@example.com")
            let fixed = try await define(server, #"{"name": "Fixed", "apply_to_all_rows": true, "mutable_fields": {"decision": "FIXED"}}"#)

            #expect(try await apply(server, certification, fixed, dryRun: true, key: kim)["matched"] as? Int == 4)
            #expect(try await apply(server, certification, fixed, dryRun: true, key: server.adminKey)["matched"] as? Int == 8)
            let mine = try await apply(server, certification, fixed, key: kim)
            #expect(mine["changed"] as? Int == 4)
            let leesBatch = try await apply(server, certification, fixed, key: lee)["batch_id"] as? String ?? ""
            let decided = try await server.request(.get, TestServer.uri(
                "\(ReviewFixtures.base)/certifications/\(certification)/results", [("filter", #"decision eq "RESULT_DECISION_FIXED""#)]))
            #expect((decided.json["values"] as? [[String: Any]])?.map { $0["result_id"] as? Int } == [1, 2, 3, 4, 5, 8])

            let batches = "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches"
            func listedBatches(_ key: String) async throws -> [String] {
                (try await server.request(.get, batches, key: key).json["values"] as? [[String: Any]] ?? []).map { $0["batch_id"] as? String ?? "" }
            }
            #expect(try await listedBatches(kim) == [mine["batch_id"] as? String ?? ""])
            #expect(try await listedBatches(server.adminKey).count == 2)
            try await server.request(.post, "\(batches)/\(leesBatch):undo", key: kim).expectEnvelope(status: 404, code: "NotFound")
            let undone = try await server.request(.post, "\(batches)/\(mine["batch_id"] as? String ?? ""):undo", key: kim)
            #expect((undone.json["value"] as? [String: Any])?["restored"] as? Int == 4, "\(undone.text)")
        }
    }

    /// Undoing a batch that signed rows off keeps them signed off unless the caller may force
    /// updates; an admin's undo of the same batch restores them afterwards.
    @Test(arguments: TestDatabase.kinds)
    func undoKeepsSignOffsUnlessTheCallerMayForceUpdates(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await certification(server)
            let signOff = try await define(server, #"{"name": "Sign off", "apply_to_all_rows": true, "mutable_fields": {"signed_off_state": "SIGNED_OFF"}}"#)
            let batches = "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches"
            func signedOff() async throws -> Int {
                let response = try await server.request(.get, TestServer.uri(
                    "\(ReviewFixtures.base)/certifications/\(certification)/results", [("filter", #"signed_off_state eq "SIGNED_OFF""#)]))
                return (response.json["values"] as? [[String: Any]])?.count ?? -1
            }
            func undo(_ batch: String, key: String) async throws -> [String: Any] {
                let response = try await server.request(.post, "\(batches)/\(batch):undo", key: key)
                #expect(response.status == .ok, "\(response.text)")
                return response.json["value"] as? [String: Any] ?? [:]
            }

            let kim = try await server.key(.reviewer, email: Self.kim)
            let kimsBatch = try await apply(server, certification, signOff, key: kim)["batch_id"] as? String ?? ""
            let kept = try await undo(kimsBatch, key: kim)
            #expect(kept["restored"] as? Int == 0 && kept["not_restored"] as? Int == 4 && kept["not_restored_signed_off"] as? Int == 4)
            #expect((kept["reason"] as? String ?? "").contains("force_update"))
            #expect(try await signedOff() == 4)
            #expect(try await undo(kimsBatch, key: server.adminKey)["restored"] as? Int == 4)
            #expect(try await signedOff() == 0)

            let operatorKey = try await server.key(.operator)
            let batch = try await apply(server, certification, signOff, key: operatorKey)["batch_id"] as? String ?? ""
            #expect(try await signedOff() == 8)
            let refused = try await undo(batch, key: operatorKey)
            #expect(refused["restored"] as? Int == 0 && refused["not_restored_signed_off"] as? Int == 8)
            #expect(try await signedOff() == 8)
            let forced = try await undo(batch, key: server.adminKey)
            #expect(forced["restored"] as? Int == 8 && forced["not_restored"] as? Int == 0 && forced["not_restored_signed_off"] as? Int == 0)
            #expect(try await signedOff() == 0)
        }
    }

    private func define(_ server: TestServer, _ json: String) async throws -> String {
        try await server.request(.post, SmartActionDefinitionRoutesTests.path, json: json).json["id"] as? String ?? ""
    }

    private func apply(_ server: TestServer, _ certification: String, _ definition: String, dryRun: Bool = false, key: String) async throws -> [String: Any] {
        let response = try await server.request(
            .post, "\(ReviewFixtures.base)/certifications/\(certification)/results:apply_smart_action", key: key,
            json: #"{"smart_action_definition_id": "\#(definition)", "dry_run": \#(dryRun)}"#)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["value"] as? [String: Any] ?? [:]
    }
}
