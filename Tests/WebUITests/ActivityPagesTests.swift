import ActivityLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

/// The Activity Log page: the same filter, order, pages and export as the API, per tab, and the detail
/// pages with their Retry, Run and Abandon.
@Suite struct ActivityPagesTests {
    /// A server whose activity log holds the demo's 400 or so action events, and an admin's browser.
    static func withSeededLog(_ kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (TestServer, WebBrowser) async throws -> Void) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            try await ActivityLogDemo(database: server.database).seed(actionEvents: 400, seed: 7)
            try await body(server, try await WebBrowser.signedIn(server, key: server.adminKey))
        }
    }

    /// The `data-href` of each row of a page's table: one per record shown.
    static func rowLinks(_ html: String) -> [String] {
        html.matches(of: /<tr data-href="([^"]+)">/).map { String($0.1) }
    }

    @Test(arguments: TestDatabase.kinds)
    func filteringWorkflowActionsByStateShowsOnlyThoseRowsAndTheAPIsCount(kind: DatabaseKind) async throws {
        try await Self.withSeededLog(kind) { server, browser in
            let api = try await server.request(.get, TestServer.uri("/api/private/lifecycle_management/action_events", [("filter", #"state eq "ERRORED""#), ("page_size", "1000")]))
            let errored = (api.json["values"] as? [[String: Any]] ?? []).map { "\($0["policy_task"]!)/\($0["action_name"]!)" }
            #expect(!errored.isEmpty)
            let page = try await browser.get(TestServer.uri("/ui/activity/action_events", [("filter", #"state eq "ERRORED""#), ("page_size", "1000")]))
            #expect(page.status == .ok)
            let states = page.text.matches(of: /data-state="(\w+)"/).map { String($0.1) }
            #expect(Set(states) == ["ERRORED"])
            #expect(Self.rowLinks(page.text).map { $0.replacingOccurrences(of: "/ui/action_events/", with: "").removingPercentEncoding! } == errored)

            let quick = try await browser.get(TestServer.uri("/ui/activity/action_events", [("state", "ERRORED"), ("page_size", "1000")]))
            #expect(Self.rowLinks(quick.text) == Self.rowLinks(page.text), "the State select must narrow the list as the typed filter does")
        }
    }

    @Test func aBrokenFilterShowsTheAPIsMessageBesideTheBox() async throws {
        try await Self.withSeededLog { server, browser in
            let filter = #"state eq "NOPE" and"#
            let api = try await server.request(.get, TestServer.uri("/api/private/lifecycle_management/action_events", [("filter", filter)]))
            let message = api.expectEnvelope(status: 400, code: "InvalidArgument")
            let page = try await browser.get(TestServer.uri("/ui/activity/action_events", [("filter", filter)]))
            #expect(page.status == .badRequest)
            let shown = try #require(page.text.firstMatch(of: /id="filter-error" role="alert">([^<]*)</)).1
            #expect(String(shown).replacingOccurrences(of: "&quot;", with: "\"") == message)
            #expect(Self.rowLinks(page.text).isEmpty)

            let unknown = try await browser.get(TestServer.uri("/ui/activity/workflow_tasks", [("filter", #"colour eq "red""#)]))
            #expect(unknown.status == .badRequest && unknown.text.contains("colour"))
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func exportDownloadsExactlyTheRowsTheFilterShows(kind: DatabaseKind) async throws {
        try await Self.withSeededLog(kind) { server, browser in
            let query = [("filter", #"action_type eq "SEND_NOTIFICATION""#), ("state", "COMPLETED"), ("page_size", "1000")]
            let page = try await browser.get(TestServer.uri("/ui/activity/action_events", query))
            let shown = Self.rowLinks(page.text)
            #expect(!shown.isEmpty)
            let exportLink = try #require(page.text.firstMatch(of: /href="([^"]+)" download/)).1.replacingOccurrences(of: "&amp;", with: "&")
            let csv = try await browser.get(String(exportLink))
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(whereSeparator: \.isNewline).dropFirst()
            let exported = lines.map { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return "/ui/action_events/\(cells[0])/\(cells[1].addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))!)"
            }
            #expect(exported == shown)
        }
    }

    @Test func nextAndPreviousWalkThePagesInOrder() async throws {
        try await Self.withSeededLog { server, browser in
            let api = try await server.request(.get, TestServer.uri("/api/private/lifecycle_management/workflow_tasks", [("page_size", "30")]))
            let apiIDs = (api.json["values"] as? [[String: Any]] ?? []).map { "/ui/workflow_tasks/\($0["id"]!)" }
            let first = try await browser.get("/ui/activity/workflow_tasks?page_size=10")
            let next = try #require(first.text.firstMatch(of: /href="([^"]+)" id="next-page"/)).1.replacingOccurrences(of: "&amp;", with: "&")
            let second = try await browser.get("/ui/activity/workflow_tasks\(next)")
            let next2 = try #require(second.text.firstMatch(of: /href="([^"]+)" id="next-page"/)).1.replacingOccurrences(of: "&amp;", with: "&")
            let third = try await browser.get("/ui/activity/workflow_tasks\(next2)")
            #expect(Self.rowLinks(first.text) + Self.rowLinks(second.text) + Self.rowLinks(third.text) == apiIDs)
            let previous = try #require(third.text.firstMatch(of: /href="([^"]+)" id="previous-page"/)).1.replacingOccurrences(of: "&amp;", with: "&")
            #expect(Self.rowLinks(try await browser.get("/ui/activity/workflow_tasks\(previous)").text) == Self.rowLinks(second.text))
            let back = try #require(second.text.firstMatch(of: /href="([^"]+)" id="previous-page"/)).1.replacingOccurrences(of: "&amp;", with: "&")
            #expect(Self.rowLinks(try await browser.get("/ui/activity/workflow_tasks\(back)").text) == Self.rowLinks(first.text))
        }
    }

    @Test func sortingByAColumnOrdersAsTheAPIDoes() async throws {
        try await Self.withSeededLog { server, browser in
            let api = try await server.request(.get, TestServer.uri("/api/private/lifecycle_management/job_events", [("order_by", "action_name asc"), ("page_size", "50")]))
            let apiIDs = (api.json["values"] as? [[String: Any]] ?? []).map { "/ui/job_events/\($0["job_id"]!)" }
            let page = try await browser.get(TestServer.uri("/ui/activity/job_events", [("order_by", "action_name asc"), ("page_size", "50")]))
            #expect(Self.rowLinks(page.text) == apiIDs)
            #expect(page.text.contains(#"aria-sort="ascending""#))
        }
    }

    @Test func aViewerSeesTheLogWithoutExportOrRetry() async throws {
        try await Self.withSeededLog { server, _ in
            let viewer = try await WebBrowser.signedIn(server, key: try await server.key(.viewer))
            let page = try await viewer.get("/ui/activity/action_events?state=ERRORED")
            #expect(page.status == .ok && !page.text.contains("id=\"export-csv\""))
            #expect(try await viewer.get("/ui/activity/action_events/export").status == .forbidden)
            let detail = try await viewer.get(try #require(Self.rowLinks(page.text).first))
            #expect(detail.status == .ok && detail.text.contains("id=\"detail-message\"") && !detail.text.contains("id=\"retry-action\""))

            let reviewer = try await WebBrowser.signedIn(server, key: try await server.key(.reviewer))
            #expect(try await reviewer.get("/ui/activity/action_events").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aBlockedTaskCanBeAbandonedFromItsPage(kind: DatabaseKind) async throws {
        try await Self.withSeededLog(kind) { server, browser in
            let tasks = ActivityStore<WorkflowTask>(database: server.database)
            let list0 = try await tasks.list(try ListRequest(WorkflowTask.listSpec, ListParameters(pageSize: "1"), signer: try await server.database.pageTokenSigner()), signer: try await server.database.pageTokenSigner())
            var blocked = try #require(list0.values.first)
            blocked.state = .blocked
            try await tasks.upsert([blocked])
            let list = try await browser.get("/ui/activity/workflow_tasks?state=BLOCKED")
            let link = try #require(Self.rowLinks(list.text).first)
            let page = try await browser.get(link)
            #expect(page.text.contains("id=\"run-task\"") && page.text.contains("id=\"abandon-task\""))
            let response = try await browser.post("\(link)/unblock", ["action": "ABANDON"])
            #expect(response.status == .seeOther)
            let after = try await browser.get(try #require(response.location))
            #expect(after.text.contains("The task was abandoned.") && after.text.contains(#"data-state="ABANDONED""#))
            let id = link.replacingOccurrences(of: "/ui/workflow_tasks/", with: "")
            let api = try await server.request(.get, "/api/private/lifecycle_management/workflow_tasks/\(id)")
            #expect((api.json["value"] as? [String: Any])?["state"] as? String == "ABANDONED")

            let bad = try await browser.post("\(link)/unblock", ["action": "EXPLODE"])
            #expect(bad.status == .badRequest && bad.text.contains("action must be RUN or ABANDON"))
        }
    }
}
