import AccessReviews
import ActivityLog
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Lifecycle
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WardenCore
import WardenServer

/// The web UI's pages against the JSON API on the same data: the Workflow Actions page beside
/// `GET action_events`, and the Review page beside `GET certifications/{id}/results`, each timed as a
/// whole round trip over one keep-alive loopback connection (the page's ceiling is the API's answer).
struct WebBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "web", abstract: "Web pages against the JSON API on the same data.")

    @Option(help: "Action events to seed.")
    var events: Int = 1_000_000

    @Option(help: "Result rows of the certification to seed.")
    var results: Int = 1_000_000

    @Option(help: "Requests per measurement (after a tenth as many to warm up).")
    var requests: Int = 200

    func run() async throws {
        var logger = Logger(label: "warden-bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Database.open(.sqlite(path: folder.appendingPathComponent("warden.sqlite").path), logger: logger)
        try await database.migrate(WardenServer.migrations)
        let seedStart = ContinuousClock.now
        try await ActivityLogDemo(database: database).seed(actionEvents: events, seed: 1)
        let review = try await AccessReviewsDemo(database: database).seed(results: results, seed: 1)
        try await database.transaction { try await $0.execute(database.statement("ANALYZE")) }
        print(String(format: "database: sqlite, %d action events and a certification of %d rows (seeded in %.1f s)", events, results, (ContinuousClock.now - seedStart).inSeconds))
        let key = try await APIKeyStore(database: database).create(name: "bench", role: .admin, createdBy: "bench")

        try await withInProcessServer(database: database, folder: folder, logger: logger) { port in
            try await withOneConnectionClient { client in
                try await compare(client, base: "http://127.0.0.1:\(port)", key: key.accessKey, certification: review.certificationID)
            }
        }
        await database.close()
    }

    /// Times each page beside its API call and prints the rows.
    private func compare(_ client: HTTPClient, base: String, key: String, certification: String) async throws {
            let cookie = try await signIn(client, base: base, key: key)
            let api: HTTPHeaders = ["Authorization": "Bearer \(key)"]
            let page: HTTPHeaders = ["Cookie": cookie]
            let filter = "filter=\(FormFields.encode(#"state eq "ERRORED""#))"
            let resultFilter = "filter=\(FormFields.encode(#"source.department eq "Engineering""#))"
            let cases: [(String, String, String)] = [
                ("Workflow Actions, first page", "/api/private/lifecycle_management/action_events", "/ui/activity/action_events"),
                ("Workflow Actions, state eq ERRORED", "/api/private/lifecycle_management/action_events?\(filter)", "/ui/activity/action_events?\(filter)"),
                ("Review page, first page", "/api/preview/awf/certifications/\(certification)/results", "/ui/reviews/\(certification)"),
                ("Review page, department filter", "/api/preview/awf/certifications/\(certification)/results?\(resultFilter)", "/ui/reviews/\(certification)?\(resultFilter)"),
            ]
            print("page (100 rows)                          API p50 ms  page p50 ms  API mean ms  page mean ms  page/API (target ≤ 1.5×)")
            for (name, apiPath, pagePath) in cases {
                let apiSample = try await RoundTrips.measure(client, base + apiPath, headers: api, requests: requests)
                let pageSample = try await RoundTrips.measure(client, base + pagePath, headers: page, requests: requests)
                print(name.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: "%11.2f %12.2f %12.2f %13.2f  %6.2f×", apiSample.percentile(0.5) / 1e3, pageSample.percentile(0.5) / 1e3, apiSample.mean / 1e3, pageSample.mean / 1e3, pageSample.mean / apiSample.mean))
            }
    }

    /// Signs in through the sign-in form, as a browser does; returns the session cookie to send.
    private func signIn(_ client: HTTPClient, base: String, key: String) async throws -> String {
        let form = try await client.execute(HTTPClientRequest(url: base + "/ui/sign_in"), timeout: .seconds(10))
        let html = String(buffer: try await form.body.collect(upTo: 1 << 20))
        guard let cookie = form.headers["Set-Cookie"].first?.split(separator: ";").first,
              let token = html.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1 else {
            throw ValidationError("the sign-in page set no session or has no CSRF token")
        }
        var request = HTTPClientRequest(url: base + "/ui/sign_in")
        request.method = .POST
        request.headers.add(name: "Cookie", value: String(cookie))
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "api_key=\(FormFields.encode(key))&csrf_token=\(FormFields.encode(String(token)))"))
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status == .seeOther, let session = response.headers["Set-Cookie"].first?.split(separator: ";").first else {
            throw ValidationError("signing in answered \(response.status)")
        }
        return String(session)
    }
}
