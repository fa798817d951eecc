import ActivityLog
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ActionEventExportTests {
    static let exportPath = "/api/private/lifecycle_management/action_events:export"
    static let filter = #"not (state eq "COMPLETED") or action_type eq "PAUSE""#
    static let order = "identity_name asc, started_at desc"

    static func body(format: String = #""CSV""#) -> String {
        #"{"body": {"filter": "not (state eq \"COMPLETED\") or action_type eq \"PAUSE\"", "order_by": "identity_name asc, started_at desc"}, "format": \#(format)}"#
    }

    /// The (policy_task, action_name) keys of every listed page, in order.
    static func listedKeys(_ server: TestServer) async throws -> [String] {
        var keys: [String] = []
        var token = ""
        repeat {
            var parameters = [("filter", filter), ("order_by", order), ("page_size", "17")]
            if !token.isEmpty { parameters.append(("page_token", token)) }
            let page = try await server.request(.get, TestServer.uri(ActionEventRoutesTests.path, parameters))
            keys += (page.json["values"] as? [[String: Any]] ?? []).map { "\($0["policy_task"] as? String ?? ""),\($0["action_name"] as? String ?? "")" }
            token = page.json["has_more"] as? Bool == true ? page.json["next_page_token"] as? String ?? "" : ""
        } while !token.isEmpty
        return keys
    }

    static func csvKeys(_ csv: String) -> [String] {
        csv.split(separator: "\r\n").dropFirst().map { line in line.split(separator: ",", maxSplits: 2).prefix(2).joined(separator: ",") }
    }

    @Test(arguments: TestDatabase.kinds)
    func streamedAndJobExportsMatchTheList(kind: DatabaseKind) async throws {
        try await ActionEventRoutesTests.seeded(kind) { server, events in
            let listed = try await Self.listedKeys(server)
            #expect(!listed.isEmpty && listed.count < events.count)

            var headers: HTTPFields = [.authorization: "Bearer \(server.adminKey)", .accept: "text/csv", .contentType: "application/json"]
            let streamed = try await server.client.execute(uri: Self.exportPath, method: .post, headers: headers, body: ByteBuffer(string: Self.body()))
            #expect(streamed.status == .ok)
            #expect(streamed.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let csv = String(buffer: streamed.body)
            #expect(csv.hasPrefix("policy_task,action_name,action_type,state,"))
            #expect(Self.csvKeys(csv) == listed)

            headers[.accept] = "application/json"
            let created = try await server.client.execute(uri: Self.exportPath, method: .post, headers: headers, body: ByteBuffer(string: Self.body(format: "0")))
            #expect(created.status == .ok, "\(created.text)")
            let id = try #require((created.json["value"] as? [String: Any])?["id"] as? String)
            #expect(created.json["export_id"] as? String == id)
            var job: [String: Any] = [:]
            for _ in 0..<200 {
                job = try await server.request(.get, "/api/private/lifecycle_management/exports/\(id)").json["value"] as? [String: Any] ?? [:]
                if job["status"] as? String == "FINISHED" || job["status"] as? String == "FAILED" { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(job["status"] as? String == "FINISHED", "\(job)")
            #expect(job["row_count"] as? Int == listed.count)
            let download = try await server.request(.get, try #require(job["download_url"] as? String))
            #expect(download.status == .ok)
            #expect(download.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(String(buffer: download.body) == csv)
        }
    }

    @Test func exportValidatesLikeTheListAndChecksRoles() async throws {
        try await ActionEventRoutesTests.seeded { server, _ in
            let cases: [(String, [String])] = [
                (#"{"body": {"filter": "state co \"ERR\""}, "format": "CSV"}"#, ["state", "co"]),
                (#"{"body": {"filter": "nope eq 1"}, "format": "CSV"}"#, ["unknown field", "nope"]),
                (#"{"body": {"order_by": "message asc"}, "format": "CSV"}"#, ["order_by", "message"]),
                (#"{"body": {}, "format": "PDF"}"#, ["format", "PDF", "CSV"]),
                (#"{"body": {}, "format": 6}"#, ["format", "6"]),
                (#"{"body": "#, ["JSON"]),
            ]
            for (body, words) in cases {
                let message = try await server.request(.post, Self.exportPath, json: body).expectEnvelope(status: 400, code: "InvalidArgument")
                for word in words {
                    #expect(message.localizedCaseInsensitiveContains(word), "\(body): \(message)")
                }
            }
            for role in [Role.viewer, .reviewer] {
                let key = try await server.key(role)
                try await server.request(.post, Self.exportPath, key: key, json: Self.body()).expectEnvelope(status: 403, code: "PermissionDenied")
            }
            try await server.request(.get, "/api/private/lifecycle_management/exports/nope").expectEnvelope(status: 404, code: "NotFound")
        }
    }
}
