import ActivityLog
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

/// One activity log resource, with a filter and an order that exercise it.
struct ExportedResource: Sendable, CustomTestStringConvertible {
    var resource: String
    var keyColumns: [String]
    var filter: String
    var order: String
    var testDescription: String { resource }

    var path: String { "/api/private/lifecycle_management/\(resource)" }
    var exportPath: String { "\(path):export" }

    static let all = [
        ExportedResource(
            resource: ActionEvent.resource, keyColumns: ActionEvent.keyColumns,
            filter: #"not (state eq "COMPLETED") or action_type eq "PAUSE""#, order: "identity_name asc, started_at desc"
        ),
        ExportedResource(
            resource: WorkflowTask.resource, keyColumns: WorkflowTask.keyColumns,
            filter: #"workflow co "er" and not (state eq "ERRORED")"#, order: "identity_name asc, t_created_at desc"
        ),
        ExportedResource(
            resource: JobEvent.resource, keyColumns: JobEvent.keyColumns,
            filter: #"action_type eq "MANAGE_RELATIONSHIPS" or state eq "ERRORED""#, order: "action_name desc, created_at asc"
        ),
        ExportedResource(
            resource: LifecycleEvent.resource, keyColumns: LifecycleEvent.keyColumns,
            filter: #"success eq false or entity_name co "eng""#, order: "event_type asc, timestamp desc"
        ),
    ]

    func body(format: String = #""CSV""#) throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["filter": filter, "order_by": order])
        return #"{"body": \#(String(decoding: body, as: UTF8.self)), "format": \#(format)}"#
    }

    /// The keys of every listed page, in order.
    func listedKeys(_ server: TestServer) async throws -> [String] {
        var keys: [String] = []
        var token = ""
        repeat {
            var parameters = [("filter", filter), ("order_by", order), ("page_size", "17")]
            if !token.isEmpty { parameters.append(("page_token", token)) }
            let page = try await server.request(.get, TestServer.uri(path, parameters))
            #expect(page.status == .ok, "\(page.text)")
            keys += (page.json["values"] as? [[String: Any]] ?? []).map { value in keyColumns.map { value[$0] as? String ?? "" }.joined(separator: ",") }
            token = page.json["has_more"] as? Bool == true ? page.json["next_page_token"] as? String ?? "" : ""
        } while !token.isEmpty
        return keys
    }

    /// The key columns of each CSV data row (keys never contain commas or quotes).
    func csvKeys(_ csv: String) -> [String] {
        csv.split(separator: "\r\n").dropFirst().map { line in
            line.split(separator: ",", maxSplits: keyColumns.count, omittingEmptySubsequences: false).prefix(keyColumns.count).joined(separator: ",")
        }
    }
}

@Suite struct ActivityExportTests {
    @Test(arguments: TestDatabase.kinds, ExportedResource.all)
    func streamedAndJobExportsMatchTheList(kind: DatabaseKind, resource: ExportedResource) async throws {
        try await ActivityFixtures.seeded(kind) { server, _ in
            let listed = try await resource.listedKeys(server)
            #expect(listed.count > 5)

            var headers: HTTPFields = [.authorization: "Bearer \(server.adminKey)", .accept: "text/csv", .contentType: "application/json"]
            let streamed = try await server.client.execute(uri: resource.exportPath, method: .post, headers: headers, body: ByteBuffer(string: try resource.body()))
            #expect(streamed.status == .ok, "\(streamed.text)")
            #expect(streamed.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let csv = String(buffer: streamed.body)
            #expect(csv.hasPrefix(resource.keyColumns.joined(separator: ",") + ","))
            #expect(resource.csvKeys(csv) == listed)

            headers[.accept] = "application/json"
            let created = try await server.client.execute(uri: resource.exportPath, method: .post, headers: headers, body: ByteBuffer(string: try resource.body(format: "0")))
            #expect(created.status == .ok, "\(created.text)")
            let id = try #require((created.json["value"] as? [String: Any])?["id"] as? String)
            #expect(created.json["export_id"] as? String == id)
            let job = try await server.settledExport("/api/private/lifecycle_management/exports/\(id)")
            #expect(job["status"] as? String == "FINISHED", "\(job)")
            #expect(job["row_count"] as? Int == listed.count)
            let download = try await server.request(.get, try #require(job["download_url"] as? String))
            #expect(download.status == .ok)
            #expect(download.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(String(buffer: download.body) == csv)
        }
    }

    /// Past the cap every export, streamed or a job, gets a 429 until a slot frees; a job's slot
    /// is free again by the time it reads FINISHED.
    @Test(arguments: TestDatabase.kinds)
    func exportsPastTheCapWaitForASlot(kind: DatabaseKind) async throws {
        try await ActivityFixtures.seeded(kind, tasks: 5, maxConcurrentExports: 1) { server, _ in
            let held = try server.exports.reserve()
            for resource in ExportedResource.all {
                for accept in ["application/json", "text/csv"] {
                    let message = try await server.request(.post, resource.exportPath, json: try resource.body(), accept: accept).expectRetryLater()
                    #expect(message.contains("limit is 1"), "\(message)")
                }
                try await server.request(.post, resource.exportPath, json: #"{"body": {"filter": "nope eq 1"}}"#).expectEnvelope(status: 400, code: "InvalidArgument")
            }
            held.release()

            let resource = ExportedResource.all[0]
            let created = try await server.request(.post, resource.exportPath, json: try resource.body())
            let id = try #require((created.json["value"] as? [String: Any])?["id"] as? String, "\(created.text)")
            let job = try await server.settledExport("/api/private/lifecycle_management/exports/\(id)")
            #expect(job["status"] as? String == "FINISHED", "\(job)")
            let streamed = try await server.request(.post, resource.exportPath, json: try resource.body(), accept: "text/csv")
            #expect(streamed.status == .ok, "\(streamed.text)")
            #expect(resource.csvKeys(streamed.text).count == job["row_count"] as? Int)
        }
    }

    @Test(arguments: ExportedResource.all)
    func exportValidatesLikeTheListAndChecksRoles(resource: ExportedResource) async throws {
        try await ActivityFixtures.seeded(tasks: 5) { server, _ in
            let cases: [(String, [String])] = [
                (#"{"body": {"filter": "state co \"ERR\""}, "format": "CSV"}"#, ["state", "co"]),
                (#"{"body": {"filter": "nope eq 1"}, "format": "CSV"}"#, ["unknown field", "nope"]),
                (#"{"body": {"order_by": "nope asc"}, "format": "CSV"}"#, ["order_by", "nope"]),
                (#"{"body": {}, "format": "PDF"}"#, ["format", "PDF", "CSV"]),
                (#"{"body": {}, "format": 6}"#, ["format", "6"]),
                (#"{"body": "#, ["JSON"]),
            ]
            for (body, words) in cases where resource.resource != LifecycleEvent.resource || !body.contains("state co") {
                let message = try await server.request(.post, resource.exportPath, json: body).expectEnvelope(status: 400, code: "InvalidArgument")
                for word in words {
                    #expect(message.localizedCaseInsensitiveContains(word), "\(body): \(message)")
                }
            }
            for role in [Role.viewer, .reviewer] {
                let key = try await server.key(role)
                try await server.request(.post, resource.exportPath, key: key, json: try resource.body()).expectEnvelope(status: 403, code: "PermissionDenied")
            }
            try await server.request(.get, "/api/private/lifecycle_management/exports/nope").expectEnvelope(status: 404, code: "NotFound")
        }
    }

    /// Every bad list input gets its 400, on every activity list.
    @Test(arguments: ExportedResource.all)
    func listRejectsBadInputAndChecksRoles(resource: ExportedResource) async throws {
        try await ActivityFixtures.seeded(tasks: 5) { server, _ in
            let reviewer = try await server.key(.reviewer)
            try await server.request(.get, resource.path, key: reviewer).expectEnvelope(status: 403, code: "PermissionDenied")
            let viewer = try await server.key(.viewer)
            #expect(try await server.request(.get, resource.path, key: viewer).status == .ok)

            var cases: [([(String, String)], [String])] = [
                ([("filter", #"colour eq "red""#)], ["unknown field", "colour"]),
                ([("filter", #"id eq "x"#)], ["unterminated"]),
                ([("filter", #"(id eq "x""#)], ["unbalanced"]),
                ([("filter", String(repeating: "(", count: 100_000))], ["filter"]),
                ([("filter", String(repeating: "a", count: 1_048_576))], ["filter"]),
                ([("order_by", "seq desc")], ["order_by", "seq"]),
                ([("order_by", "\(resource.keyColumns[0]) sideways")], ["order_by", "asc or desc"]),
                ([("page_size", "1001")], ["page_size", "1000"]),
                ([("page_size", "0")], ["page_size"]),
                ([("page_size", "-1")], ["page_size"]),
                ([("page_size", "ten")], ["page_size"]),
                ([("page_token", "bogus")], ["page_token"]),
            ]
            if resource.resource != LifecycleEvent.resource {
                cases.append(([("filter", #"state co "ERR""#)], ["state", "co", "eq"]))
            }
            let unsortable = ["action_events": "extraction_event", "workflow_tasks": "reason", "job_events": "event_source_id", "events": "extraction_event"]
            cases.append(([("order_by", "\(unsortable[resource.resource]!) asc")], ["order_by", "cannot sort"]))
            for (parameters, words) in cases {
                let message = try await server.request(.get, TestServer.uri(resource.path, parameters)).expectEnvelope(status: 400, code: "InvalidArgument")
                for word in words {
                    #expect(message.localizedCaseInsensitiveContains(word), "\(resource.resource) \(parameters.map(\.0)): \(message.prefix(200))")
                }
            }
        }
    }
}
