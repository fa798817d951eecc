import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct SmartActionApplyTests {
    static let definitions = SmartActionDefinitionRoutesTests.path

    private func define(_ server: TestServer, _ json: String) async throws -> String {
        let response = try await server.request(.post, Self.definitions, json: json)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["id"] as? String ?? ""
    }

    private func apply(_ server: TestServer, _ certification: String, _ definition: String, dryRun: Bool = false, key: String? = nil) async throws -> TestResponse {
        try await server.request(
            .post, "\(ReviewFixtures.base)/certifications/\(certification)/results:apply_smart_action", key: key,
            json: #"{"smart_action_definition_id": "\#(definition)", "dry_run": \#(dryRun)}"#)
    }

    private func outcome(_ response: TestResponse) -> [String: Any] {
        #expect(response.status == .ok, "\(response.text)")
        return response.json["value"] as? [String: Any] ?? [:]
    }

    private func counts(_ outcome: [String: Any]) -> [Int] {
        ["matched", "changed", "skipped_signed_off", "unchanged"].map { outcome[$0] as? Int ?? -1 }
    }

    /// Every row of a certification, by result id, through all pages.
    private func rows(_ server: TestServer, _ certification: String) async throws -> [Int: [String: Any]] {
        var values: [[String: Any]] = []
        var token = ""
        repeat {
            let response = try await server.request(
                .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("page_size", "2000"), ("page_token", token)]))
            values += response.json["values"] as? [[String: Any]] ?? []
            token = response.json["has_more"] as? Bool == true ? response.json["next_page_token"] as? String ?? "" : ""
        } while !token.isEmpty
        return Dictionary(uniqueKeysWithValues: values.map { ($0["result_id"] as? Int ?? -1, $0) })
    }

    private func decisions(_ server: TestServer, _ certification: String) async throws -> [Int: String] {
        try await rows(server, certification).mapValues { $0["decision"] as? String ?? "" }
    }

    private func entries(_ row: [String: Any]?) -> [[String: Any]] {
        (row?["action_log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.kinds)
    func dryRunPreviewsAndApplyChangesInOneBatch(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            _ = try await server.request(
                .put, "\(ReviewFixtures.base)/certifications/\(certification)/results", json: #"{"value": {"result_id": 4, "signed_off_state": "SIGNED_OFF"}}"#)
            let reject = try await define(server, SmartActionDefinitionRoutesTests.rejectInactive)

            let preview = outcome(try await apply(server, certification, reject, dryRun: true))
            #expect(counts(preview) == [3, 2, 1, 0] && preview["dry_run"] as? Bool == true && preview["batch_id"] as? String == "")
            let samples = preview["samples"] as? [[String: Any]] ?? []
            #expect(samples.compactMap { $0["result_id"] as? Int } == [2, 6])
            #expect((samples.first?["before"] as? [String: String])?["decision"] == "RESULT_DECISION_NONE")
            #expect((samples.first?["after"] as? [String: String])?["decision"] == "RESULT_DECISION_REJECTED")
            #expect(try await decisions(server, certification)[2] == "RESULT_DECISION_NONE")
            let noBatches = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches")
            #expect((noBatches.json["values"] as? [Any])?.isEmpty == true)

            let applied = outcome(try await apply(server, certification, reject))
            #expect(counts(applied) == [3, 2, 1, 0] && applied["dry_run"] as? Bool == false)
            let batch = applied["batch_id"] as? String ?? ""
            #expect(!batch.isEmpty && (applied["samples"] as? [Any])?.isEmpty == true)
            var rows = try await self.rows(server, certification)
            #expect(rows.filter { $0.value["decision"] as? String == "RESULT_DECISION_REJECTED" }.keys.sorted() == [2, 3, 6])
            let entry = entries(rows[2]).last
            #expect(entry?["action"] as? String == "SMART_ACTION" && entry?["smart_action_batch_id"] as? String == batch)
            #expect(entry?["smart_action_definition_id"] as? String == reject && entry?["smart_action_name"] as? String == "Reject inactive users")
            #expect((entry?["decision_detail"] as? [String: String])?["decision"] == "RESULT_DECISION_REJECTED")
            #expect(entries(rows[4]).count == 1 && entries(rows[1]).isEmpty)

            #expect(counts(outcome(try await apply(server, certification, reject))) == [3, 0, 1, 2])

            // The seed's second example: sign off the rejected rows; rows already signed off count as unchanged.
            let signOff = try await define(server, SmartActionDefinitionRoutesTests.signOffRejected)
            #expect(counts(outcome(try await apply(server, certification, signOff))) == [3, 3, 0, 0])
            #expect(counts(outcome(try await apply(server, certification, signOff))) == [3, 0, 0, 3])
            rows = try await self.rows(server, certification)
            #expect(rows[6]?["signed_off_state"] as? String == "SIGNED_OFF" && rows[6]?["signed_off_at"] is String)

            let batches = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches")
            let listed = batches.json["values"] as? [[String: Any]] ?? []
            #expect(listed.count == 4 && listed.last?["batch_id"] as? String == batch)
            #expect(listed.last?["smart_action_name"] as? String == "Reject inactive users" && listed.last?["changed"] as? Int == 2)
            #expect((listed.last?["actor"] as? [String: String])?["user_type"] == "ApiKey")
            let cert = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)").json["value"] as? [String: Any]
            #expect(cert?["total_complete_count"] as? Int == 3)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func undoRestoresRowsNobodyChangedSince(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let note = try await define(server, #"{"name": "Flag", "apply_to_all_rows": true, "mutable_fields": {"decision": "FIXED", "notes": "bulk"}}"#)
            let batch = outcome(try await apply(server, certification, note))["batch_id"] as? String ?? ""
            _ = try await server.request(
                .put, "\(ReviewFixtures.base)/certifications/\(certification)/results", json: #"{"value": {"result_id": 6, "notes": "by hand"}}"#)
            let undone = outcome(try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/\(batch):undo"))
            #expect(undone["restored"] as? Int == 5 && undone["not_restored"] as? Int == 1)
            #expect((undone["reason"] as? String)?.contains("changed again since the batch") == true)
            let rows = try await self.rows(server, certification)
            #expect(rows[3]?["decision"] as? String == "RESULT_DECISION_REJECTED" && rows[3]?["notes"] as? String == "left")
            #expect(rows[1]?["decision"] as? String == "RESULT_DECISION_NONE" && rows[1]?["notes"] as? String == "")
            #expect(rows[6]?["decision"] as? String == "RESULT_DECISION_FIXED" && rows[6]?["notes"] as? String == "by hand")
            let last = entries(rows[1]).last
            #expect(last?["action"] as? String == "UNDO_SMART_ACTION" && last?["smart_action_batch_id"] as? String == batch)
            #expect((last?["decision_detail"] as? [String: String])?["decision"] == "RESULT_DECISION_NONE")

            // Row 6 is still changed by hand, so undoing again restores nothing more and says so.
            let again = outcome(try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/\(batch):undo"))
            #expect(again["restored"] as? Int == 0 && again["not_restored"] as? Int == 1)
            let listed = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches").json["values"] as? [[String: Any]]
            #expect(listed?.first?["restored"] as? Int == 5 && listed?.first?["not_restored"] as? Int == 1 && listed?.first?["undone_at"] is String)
            try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/nope:undo")
                .expectEnvelope(status: 404, code: "NotFound")
        }
    }

    /// A batch large enough that the apply and the undo refresh PostgreSQL's statistics of the log
    /// inside their transactions still changes, logs and restores every row.
    @Test(arguments: TestDatabase.kinds)
    func aLargeBatchAppliesAndUndoes(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            let count = Int(SmartActionStore.statisticsRefreshRows) + 10
            let rows = (0..<count).map { #"{"result_id": \#($0), "source": {"name": "user \#($0)"}}"# }
            let loaded = try await ReviewFixtures.load(server, certification, "[" + rows.joined(separator: ",") + "]")
            #expect(loaded.status == .ok, "\(loaded.text)")
            let reject = try await define(server, #"{"name": "Reject all", "apply_to_all_rows": true, "mutable_fields": {"decision": "REJECTED"}}"#)
            let applied = outcome(try await apply(server, certification, reject))
            #expect(counts(applied) == [count, count, 0, 0])
            let batch = applied["batch_id"] as? String ?? ""
            let undone = outcome(try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/\(batch):undo"))
            #expect(undone["restored"] as? Int == count && undone["not_restored"] as? Int == 0)
            let restored = try await self.rows(server, certification)
            #expect(restored.count == count && Set(restored.values.map { $0["decision"] as? String ?? "" }) == ["RESULT_DECISION_NONE"])
            #expect(restored.values.allSatisfy { entries($0).map { $0["action"] as? String ?? "" } == ["SMART_ACTION", "UNDO_SMART_ACTION"] })
        }
    }

    /// Undoing an earlier batch before a later one that changed the same rows restores only the
    /// rows the later one left alone; after the later one is undone, the earlier undo finishes.
    @Test(arguments: TestDatabase.kinds)
    func anUndoCanFinishAfterALaterBatchIsUndone(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let first = try await define(server, #"{"name": "All fixed", "apply_to_all_rows": true, "mutable_fields": {"decision": "FIXED"}}"#)
            let second = try await define(server, #"{"name": "Active accepted", "filter": "source.is_active eq true", "mutable_fields": {"decision": "ACCEPTED"}}"#)
            let before = try await decisions(server, certification)
            let early = outcome(try await apply(server, certification, first))["batch_id"] as? String ?? ""
            let late = outcome(try await apply(server, certification, second))["batch_id"] as? String ?? ""
            let path = "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches"

            let partial = outcome(try await server.request(.post, "\(path)/\(early):undo"))
            #expect(partial["restored"] as? Int == 3 && partial["not_restored"] as? Int == 3)
            #expect(outcome(try await server.request(.post, "\(path)/\(late):undo"))["restored"] as? Int == 3)
            let rest = outcome(try await server.request(.post, "\(path)/\(early):undo"))
            #expect(rest["restored"] as? Int == 3 && rest["not_restored"] as? Int == 0)
            #expect(try await decisions(server, certification) == before)
            let done = try await server.request(.post, "\(path)/\(early):undo")
            #expect(done.expectEnvelope(status: 400, code: "FailedPrecondition").contains("already undone"))
            let rows = try await self.rows(server, certification)
            #expect(rows.values.allSatisfy { row in entries(row).filter { $0["action"] as? String == "UNDO_SMART_ACTION" && $0["smart_action_batch_id"] as? String == early }.count == 1 })
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func scopeAndRolesLimitWhatAnApplyTouches(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let workflow = try await ReviewFixtures.workflow(server)
            let certification = try await ReviewFixtures.certification(server, workflowID: workflow)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let elsewhere = try await define(server, #"{"name": "Other", "workflow_id": "wf-other", "apply_to_all_rows": true, "mutable_fields": {"notes": "x"}}"#)
            let scoped = try await apply(server, certification, elsewhere)
            #expect(scoped.expectEnvelope(status: 400, code: "InvalidArgument").contains("belongs to workflow wf-other"))
            let accept = try await define(server, #"{"name": "Accept", "workflow_id": "\#(workflow)", "apply_to_all_rows": true, "mutable_fields": {"decision": "ACCEPTED"}}"#)
            let reviewer = try await server.keys.create(name: "Rev", role: .reviewer, email: "REV@example.com", createdBy: "test").accessKey
            let mine = outcome(try await apply(server, certification, accept, key: reviewer))
            #expect(counts(mine) == [1, 1, 0, 0])
            #expect(try await decisions(server, certification).filter { $0.value == "RESULT_DECISION_ACCEPTED" }.keys.sorted() == [1])
            let viewer = try await server.key(.viewer)
            try await apply(server, certification, accept, key: viewer).expectEnvelope(status: 403, code: "PermissionDenied")

            let bad: [(String, Int, String)] = [
                (#"{"dry_run": true}"#, 400, "smart_action_definition_id is required"),
                (#"{"smart_action_definition_id": "\#(accept)", "dry_run": "maybe"}"#, 400, "dry_run"),
                (#"{"smart_action_definition_id": "\#(accept)", "preview": true}"#, 400, "not a field of an apply request"),
                (#"{"smart_action_definition_id": "nope"}"#, 404, "smart action definition nope"),
            ]
            for (body, status, words) in bad {
                let response = try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/results:apply_smart_action", json: body)
                #expect(response.expectEnvelope(status: status, code: status == 400 ? "InvalidArgument" : "NotFound").contains(words), "\(body) → \(response.text)")
            }
            try await apply(server, "nope", accept).expectEnvelope(status: 404, code: "NotFound")
        }
    }

    /// Two actions over overlapping rows, applied at once, end as one of the two serial orders
    /// would leave them, each changed row has one log entry per batch, and undoing both (newest
    /// first) restores every row: no change was lost or logged with stale values.
    @Test(arguments: TestDatabase.kinds)
    func concurrentAppliesEndInASerialOrder(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            let count = 3000
            let rows = (0..<count).map { #"{"result_id": \#($0), "source": {"n": \#($0)}}"# }
            _ = try await ReviewFixtures.load(server, certification, "[\(rows.joined(separator: ","))]")
            let low = try await define(server, #"{"name": "Low", "filter": "source.n lt 2000", "mutable_fields": {"decision": "ACCEPTED", "notes": "low"}}"#)
            let high = try await define(server, #"{"name": "High", "filter": "source.n ge 1000", "mutable_fields": {"decision": "REJECTED"}}"#)
            // Straight through the store, so the two transactions start together.
            let store = SmartActionStore(database: server.database)
            let admin = try #require(try await server.keys.authenticate(server.adminKey))
            async let first = store.apply(SmartActionRequest(definitionID: low), to: certification, by: admin)
            async let second = store.apply(SmartActionRequest(definitionID: high), to: certification, by: admin)
            let outcomes = try await [first, second].map { ["batch_id": $0.batchID, "changed": Int($0.changed)] as [String: Any] }
            let state = try await self.rows(server, certification)
            func expected(lowFirst: Bool) -> [Int: String] {
                Dictionary(uniqueKeysWithValues: (0..<count).map { n -> (Int, String) in
                    let lowDecision = n < 2000 ? "RESULT_DECISION_ACCEPTED" : nil
                    let highDecision = n >= 1000 ? "RESULT_DECISION_REJECTED" : nil
                    return (n, (lowFirst ? highDecision ?? lowDecision : lowDecision ?? highDecision) ?? "RESULT_DECISION_NONE")
                })
            }
            let actual = state.mapValues { $0["decision"] as? String ?? "" }
            #expect(actual == expected(lowFirst: true) || actual == expected(lowFirst: false))
            #expect(state.values.allSatisfy { ($0["notes"] as? String == "low") == (($0["result_id"] as? Int ?? 0) < 2000) })
            for outcome in outcomes {
                let batch = outcome["batch_id"] as? String ?? ""
                let perRow = state.values.map { row in entries(row).filter { $0["smart_action_batch_id"] as? String == batch }.count }
                #expect(perRow.allSatisfy { $0 <= 1 })
                #expect(perRow.reduce(0, +) == outcome["changed"] as? Int)
            }
            #expect(outcomes.map { $0["changed"] as? Int ?? 0 }.reduce(0, +) == 2000 + 2000)

            let batches = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches")
            for batch in (batches.json["values"] as? [[String: Any]] ?? []).compactMap({ $0["batch_id"] as? String }) {
                let undone = outcome(try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/\(batch):undo"))
                #expect(undone["not_restored"] as? Int == 0)
            }
            let restored = try await self.rows(server, certification)
            #expect(restored.values.allSatisfy { $0["decision"] as? String == "RESULT_DECISION_NONE" && $0["notes"] as? String == "" })
        }
    }
}
