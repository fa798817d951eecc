import Foundation
import Hummingbird
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

/// The Reviews and Smart Actions pages, driven as a browser drives them (sign-in form, session
/// cookie, CSRF token), and checked against what the API says.
@Suite struct ReviewPagesTests {
    static let api = "/api/preview/awf"
    static let alice = "alice@example.com"
    static let bob = "bob@example.com"

    /// A certification of six rows, 1–4 Alice's (2 and 3 of inactive people), 5–6 Bob's, and a smart
    /// action of its workflow that rejects inactive people's rows.
    struct Review {
        var certificationID: String
        var workflowID: String
        var definitionID: String
    }

    static func review(_ server: TestServer) async throws -> Review {
        let workflow = try await server.request(.post, "\(api)/workflows", json: #"{"name": "Quarterly"}"#).json["value"] as? [String: Any]
        let workflowID = workflow?["workflow_id"] as? String ?? ""
        let certificationID = try await server.request(
            .post, "\(api)/certifications", json: #"{"workflow_id": "\#(workflowID)", "name": "Q3 review"}"#
        ).json["certification_id"] as? String ?? ""
        func row(_ id: Int, _ name: String, active: Bool, _ reviewer: String) -> String {
            #"{"result_id": \#(id), "source": {"name": "\#(name)", "is_active": \#(active)}, "destination": {"name": "payroll-db"}, "# +
                #""concrete_permissions": ["SELECT"], "reviewers": [{"user_type": "OktaUser", "id": "\#(reviewer)", "email": "\#(reviewer)", "name": "\#(reviewer)"}]}"#
        }
        let rows = [
            row(1, "Ada", active: true, alice), row(2, "Grace", active: false, alice), row(3, "Alan", active: false, alice),
            row(4, "Edsger", active: true, alice), row(5, "Barbara", active: false, bob), row(6, "Ken", active: true, bob),
        ]
        let loaded = try await server.request(
            .post, "\(api)/certifications/\(certificationID)/results:import", body: ByteBuffer(string: "[\(rows.joined(separator: ","))]"),
            contentType: "application/json")
        #expect(loaded.status == .ok, "\(loaded.text)")
        let definition = try await server.request(.post, "\(api)/smart_action_definitions", json: """
            {"name": "Reject inactive people", "workflow_id": "\(workflowID)", "filter": "source.is_active eq false",
             "mutable_fields": {"decision": "RESULT_DECISION_REJECTED", "notes": "Inactive"}}
            """)
        #expect(definition.status == .ok, "\(definition.text)")
        return Review(certificationID: certificationID, workflowID: workflowID, definitionID: definition.json["id"] as? String ?? "")
    }

    /// The ids of the rows in a page's results table.
    static func resultIDs(_ html: String) -> [Int] {
        html.matches(of: /<tr data-result-id="(\d+)"/).compactMap { Int($0.1) }
    }

    /// The text of the element with `id` (no nested elements).
    static func text(of id: String, in html: String) -> String? {
        guard let match = html.firstMatch(of: try! Regex(#"id="\#(id)"[^>]*>([^<]*)<"#)) else { return nil }
        return (match.output[1].substring).map(String.init)
    }

    /// A row as the API shows it to `key`.
    static func apiRow(_ server: TestServer, _ review: Review, _ resultID: Int, key: String? = nil) async throws -> [String: Any] {
        try await server.request(.get, "\(api)/certifications/\(review.certificationID)/results/\(resultID)", key: key).json["value"] as? [String: Any] ?? [:]
    }

    /// Runs `body` on a live server of `kind` with the review made, and a browser signed in as Alice
    /// (whose key is passed too).
    static func asAlice(
        _ kind: DatabaseKind, _ body: @escaping @Sendable (TestServer, Review, String, WebBrowser) async throws -> Void
    ) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let review = try await Self.review(server)
            let aliceKey = try await server.key(.reviewer, email: Self.alice)
            let browser = try await WebBrowser.signedIn(server, key: aliceKey)
            try await body(server, review, aliceKey, browser)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewerSeesOnlyTheirRowsAndPagesThem(kind: DatabaseKind) async throws {
        try await Self.asAlice(kind) { server, review, aliceKey, browser in

            let list = try await browser.get("/ui/reviews")
            #expect(list.status == .ok)
            #expect(list.text.contains("data-certification-id=\"\(review.certificationID)\""))
            #expect(list.text.contains("0 of 4"), "Alice's progress counts her four rows")

            let page = try await browser.get("/ui/reviews/\(review.certificationID)")
            #expect(page.status == .ok, "\(page.text)")
            #expect(Self.resultIDs(page.text) == [1, 2, 3, 4])
            #expect(page.text.contains(#"id="smart-action-menu""#) && page.text.contains(#"data-definition-id="\#(review.definitionID)""#))

            let first = try await browser.get("/ui/reviews/\(review.certificationID)?page_size=2&order_by=result_id%20desc")
            #expect(Self.resultIDs(first.text) == [4, 3])
            let next = try #require(first.text.firstMatch(of: /<a href="([^"]+)" id="next-page"/)?.1)
            let second = try await browser.get(String(next).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(Self.resultIDs(second.text) == [2, 1])
            #expect(!second.text.contains(#"id="next-page""#))
            let previous = try #require(second.text.firstMatch(of: /<a href="([^"]+)" id="previous-page"/)?.1)
            let back = try await browser.get(String(previous).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(Self.resultIDs(back.text) == [4, 3])

            let quick = try await browser.get("/ui/reviews/\(review.certificationID)?filter=source.is_active%20eq%20false&decision=NONE")
            #expect(Self.resultIDs(quick.text) == [2, 3])

            let broken = #"source.is_active eq"#
            let apiMessage = try await server.request(
                .get, TestServer.uri("\(Self.api)/certifications/\(review.certificationID)/results", [("filter", broken)]), key: aliceKey
            ).expectEnvelope(status: 400, code: "InvalidArgument")
            for quick in [[], [("decision", "NONE")], [("decision", ""), ("signed_off", "")]] {
                let refused = try await browser.get(TestServer.uri("/ui/reviews/\(review.certificationID)", [("filter", broken)] + quick))
                #expect(refused.status == .badRequest)
                #expect(Self.text(of: "filter-error", in: refused.text) == WebBrowser.htmlEscaped(apiMessage), "\(quick)")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aDecisionThroughTheFormChangesTheRowAsTheAPIDoes(kind: DatabaseKind) async throws {
        try await Self.asAlice(kind) { server, review, aliceKey, browser in
            let path = "/ui/reviews/\(review.certificationID)"
            _ = try await browser.get(path)
            let saved = try await browser.post("\(path)/results/1", ["decision": "ACCEPTED", "notes": "Needed for payroll", "return_to": path + "?decision=NONE"])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "\(path)?decision=NONE&saved=1#result-1")
            let row = try await Self.apiRow(server, review, 1)
            #expect(row["decision"] as? String == "RESULT_DECISION_ACCEPTED" && row["notes"] as? String == "Needed for payroll")
            let entries = (row["action_log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 1 && (entries.first?["user"] as? [String: Any])?["email"] as? String == Self.alice)

            let shown = try await browser.get("\(path)?saved=1")
            #expect(shown.text.contains("Row 1 saved."))
            #expect(shown.text.contains(#"data-decision="RESULT_DECISION_ACCEPTED"><div>Accepted"#))

            // Reassigning hands the row to Bob: it leaves Alice's page.
            #expect(try await browser.post("\(path)/results/4", ["decision": "NONE", "reassign": Self.bob]).status == .seeOther)
            #expect(Self.resultIDs(try await browser.get(path).text) == [1, 2, 3])
            let reassigned = try await Self.apiRow(server, review, 4)
            #expect((reassigned["reviewers"] as? [[String: Any]])?.map { $0["email"] as? String } == [Self.bob])

            // Signed off, the row is locked: the API's refusal is shown on the Review page.
            #expect(try await browser.post("\(path)/results/1", ["decision": "ACCEPTED", "sign_off": "yes"]).status == .seeOther)
            let locked = try await browser.post("\(path)/results/1", ["decision": "REJECTED", "return_to": path])
            #expect(locked.status == .badRequest)
            let apiMessage = try await server.request(
                .put, "\(Self.api)/certifications/\(review.certificationID)/results", key: aliceKey,
                json: #"{"value": {"result_id": 1, "decision": "REJECTED"}}"#
            ).expectEnvelope(status: 400, code: "FailedPrecondition")
            #expect(locked.text.contains(WebBrowser.htmlEscaped(apiMessage)))
            #expect(Self.resultIDs(locked.text) == [1, 2, 3])
            #expect(try await Self.apiRow(server, review, 1)["decision"] as? String == "RESULT_DECISION_ACCEPTED")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func previewShowsTheAPIsDryRunAndApplyThenUndoRestores(kind: DatabaseKind) async throws {
        try await Self.asAlice(kind) { server, review, aliceKey, browser in
            let path = "/ui/reviews/\(review.certificationID)"
            let dryRun = try await server.request(
                .post, "\(Self.api)/certifications/\(review.certificationID)/results:apply_smart_action", key: aliceKey,
                json: #"{"smart_action_definition_id": "\#(review.definitionID)", "dry_run": true}"#
            ).json["value"] as? [String: Any] ?? [:]
            #expect(dryRun["matched"] as? Int == 2, "only Alice's two inactive people, not Bob's")

            let preview = try await browser.get("\(path)/smart_actions/\(review.definitionID)")
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(Self.text(of: "preview-matched", in: preview.text) == "\(dryRun["matched"] as? Int ?? -1)")
            #expect(Self.text(of: "preview-changed", in: preview.text) == "\(dryRun["changed"] as? Int ?? -1)")
            #expect(Self.text(of: "preview-skipped", in: preview.text) == "\(dryRun["skipped_signed_off"] as? Int ?? -1)")
            #expect(Self.resultIDs(preview.text) == [2, 3])
            #expect(try await Self.apiRow(server, review, 2)["decision"] as? String == "RESULT_DECISION_NONE", "a preview changes nothing")

            let applied = try await browser.post("\(path)/smart_actions/\(review.definitionID)", [:])
            #expect(applied.status == .seeOther)
            let location = try #require(applied.headers[.location])
            let after = try await browser.get(location)
            #expect(after.text.contains(#"data-decision="RESULT_DECISION_REJECTED"><div>Rejected"#))
            #expect(after.text.contains("2 of 2 matching rows changed"))
            let batchID = try #require(after.text.firstMatch(of: /id="undo-batch" data-batch-id="([^"]+)"/)?.1)
            for id in [2, 3] { #expect(try await Self.apiRow(server, review, id)["decision"] as? String == "RESULT_DECISION_REJECTED") }
            #expect(try await Self.apiRow(server, review, 5)["decision"] as? String == "RESULT_DECISION_NONE", "Bob's row is not Alice's to change")

            let undone = try await browser.post("\(path)/batches/\(batchID)/undo", [:])
            #expect(undone.status == .seeOther)
            let restored = try await browser.get(try #require(undone.headers[.location]))
            #expect(restored.text.contains("2 rows restored"))
            for id in [2, 3] {
                let row = try await Self.apiRow(server, review, id)
                #expect(row["decision"] as? String == "RESULT_DECISION_NONE" && row["notes"] as? String == "")
            }
            #expect(!restored.text.contains(#"id="undo-batch""#), "nothing is left to undo")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewersSessionCannotOpenAnotherReviewersRowByURL(kind: DatabaseKind) async throws {
        try await Self.asAlice(kind) { server, review, aliceKey, browser in
            let path = "/ui/reviews/\(review.certificationID)/results/5"
            let own = try await browser.get("/ui/reviews/\(review.certificationID)/results/2")
            #expect(own.status == .ok && own.text.contains("Grace"))

            let apiStatus = try await server.request(.get, "\(Self.api)/certifications/\(review.certificationID)/results/5", key: aliceKey).status
            let opened = try await browser.get(path)
            #expect(opened.status == apiStatus && opened.status == .notFound)
            #expect(!opened.text.contains("Barbara"))
            let changed = try await browser.post(path, ["decision": "REJECTED"])
            #expect(changed.status == .notFound)
            #expect(try await Self.apiRow(server, review, 5)["decision"] as? String == "RESULT_DECISION_NONE")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aDefinitionWithABadFilterIsRefusedWithTheAPIsMessage(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let review = try await Self.review(server)
            let browser = try await WebBrowser.signedIn(server, key: try await server.key(.operator))
            _ = try await browser.get("/ui/smart_actions")
            let broken = "source.is_active eq"
            let apiMessage = try await server.request(
                .post, "\(Self.api)/smart_action_definitions",
                json: #"{"name": "Broken", "filter": "\#(broken)", "mutable_fields": {"decision": "RESULT_DECISION_REJECTED"}}"#
            ).expectEnvelope(status: 400, code: "InvalidArgument")
            let refused = try await browser.post(
                "/ui/smart_actions", ["name": "Broken", "filter": broken, "decision": "REJECTED", "workflow_id": review.workflowID])
            #expect(refused.status == .badRequest)
            #expect(Self.text(of: "definition-filter-error", in: refused.text) == WebBrowser.htmlEscaped(apiMessage))
            #expect(refused.text.contains(#"value="Broken""#), "the form keeps what was typed")

            let check = try await browser.get(TestServer.uri("/ui/filter_check", [("catalog", "results"), ("filter", broken)]))
            #expect(check.json["ok"] as? Bool == false && check.json["message"] as? String == apiMessage)
            let fine = try await browser.get(TestServer.uri("/ui/filter_check", [("catalog", "action_events"), ("filter", #"state eq "ERRORED""#)]))
            #expect(fine.json["ok"] as? Bool == true)

            let created = try await browser.post(
                "/ui/smart_actions", ["name": "Approve active", "filter": "source.is_active eq true", "decision": "ACCEPTED", "workflow_id": review.workflowID])
            #expect(created.status == .seeOther)
            let listed = try await server.request(.get, "\(Self.api)/smart_action_definitions?workflow_id=\(review.workflowID)").json["values"] as? [[String: Any]] ?? []
            let made = try #require(listed.first { $0["name"] as? String == "Approve active" })
            #expect((made["mutable_fields"] as? [String: Any])?["decision"] as? String == "RESULT_DECISION_ACCEPTED")
            let id = made["id"] as? String ?? ""
            #expect(try await browser.post("/ui/smart_actions/\(id)", ["name": "Approve active people", "filter": "source.is_active eq true", "decision": "ACCEPTED"]).status == .seeOther)
            #expect(try await server.request(.get, "\(Self.api)/smart_action_definitions/\(id)").json["value"].flatMap { ($0 as? [String: Any])?["name"] as? String } == "Approve active people")
            #expect(try await browser.post("/ui/smart_actions/\(id)/delete", [:]).status == .seeOther)
            #expect(try await server.request(.get, "\(Self.api)/smart_action_definitions/\(id)").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aFormPostedWithoutItsCSRFTokenIsRefused(kind: DatabaseKind) async throws {
        try await Self.asAlice(kind) { server, review, aliceKey, browser in
            let path = "/ui/reviews/\(review.certificationID)"
            _ = try await browser.get(path)
            let refused = try await browser.post("\(path)/results/1", ["decision": "ACCEPTED"], csrf: false)
            #expect(refused.status == .forbidden)
            let applied = try await browser.post("\(path)/smart_actions/\(review.definitionID)", [:], csrf: false)
            #expect(applied.status == .forbidden)
            #expect(try await Self.apiRow(server, review, 1)["decision"] as? String == "RESULT_DECISION_NONE")
            #expect(try await Self.apiRow(server, review, 2)["decision"] as? String == "RESULT_DECISION_NONE")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aViewerReadsEveryRowButChangesNothing(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let review = try await Self.review(server)
            let browser = try await WebBrowser.signedIn(server, key: try await server.key(.viewer))
            let path = "/ui/reviews/\(review.certificationID)"
            let page = try await browser.get(path)
            #expect(Self.resultIDs(page.text) == [1, 2, 3, 4, 5, 6])
            #expect(!page.text.contains("data-result-form") && !page.text.contains(#"id="smart-action-menu""#))
            #expect(try await browser.post("\(path)/results/1", ["decision": "ACCEPTED"]).status == .forbidden)
            #expect(try await browser.get("\(path)/smart_actions/\(review.definitionID)").status == .forbidden)
        }
    }
}
