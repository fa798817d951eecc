import AccessReviews
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ReviewExportTests {
    static let create = "\(ReviewFixtures.base)/exports/access_review:create"

    private func records(_ csv: String) throws -> [[String]] {
        try CSVReader.records(Data(csv.utf8))
    }

    @Test(arguments: TestDatabase.kinds)
    func exportsTheSelectedRowsWithTheirHistory(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            _ = try await ReviewFixtures.load(server, certification, #"[{"result_id": 7, "source": {"name": "=HYPERLINK(\"x\")", "is_active": false, "logins": -3}}]"#)
            _ = try await server.request(
                .put, "\(ReviewFixtures.base)/certifications/\(certification)/results",
                json: #"{"value": {"result_id": 2, "decision": "REJECTED", "notes": "no, \"never\"", "signed_off_state": "SIGNED_OFF"}}"#)
            let body = #"{"certification_id": "\#(certification)", "format": 0, "filter": "source.is_active ne \"true\"", "mutable_filter": "decision ne \"RESULT_DECISION_ACCEPTED\"", "order_by": "source.name desc"}"#

            var headers: HTTPFields = [.authorization: "Bearer \(server.adminKey)", .accept: "text/csv", .contentType: "application/json"]
            let streamed = try await server.client.execute(uri: Self.create, method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(streamed.status == .ok && streamed.headers[.contentDisposition]?.hasPrefix("attachment") == true, "\(streamed.text)")
            let csv = streamed.text
            let table = try records(csv)
            let header = table.first ?? []
            #expect(header.first == "result_id" && header.last == "action_log")
            #expect(header.contains("source.is_active") && header.contains("destination.owner") == false && header.contains("source.tags"))
            func column(_ name: String) -> [String] {
                let index = header.firstIndex(of: name) ?? 0
                return table.dropFirst().map { $0[index] }
            }
            // Rows whose is_active is not true, by name descending: Grace (2), Edsger (4), Ken (6, none), "=HYPERLINK" (7).
            #expect(column("result_id") == ["6", "2", "4", "7"])
            #expect(column("source.is_active") == ["", "false", "false", "false"])
            #expect(column("source.name").last == #"'=HYPERLINK("x")"#)
            #expect(column("source.logins") == ["", "0", "", "-3"])
            #expect(column("source.tags")[1] == #"["eng"]"#)
            #expect(column("decision")[1] == "RESULT_DECISION_REJECTED" && column("notes")[1] == #"no, "never""#)
            #expect(column("signed_off_state")[1] == "SIGNED_OFF" && column("signed_off_at")[1].hasSuffix("Z"))
            #expect(column("concrete_permissions")[1] == "UPDATE;INSERT")
            let history = try JSONSerialization.jsonObject(with: Data(column("action_log")[1].utf8)) as? [[String: Any]]
            #expect(history?.first?["action"] as? String == "SIGN_OFF")
            #expect(column("action_log")[0] == "[]")

            headers[.accept] = "application/json"
            let created = try await server.client.execute(uri: Self.create, method: .post, headers: headers, body: ByteBuffer(string: body))
            let id = try #require((created.json["value"] as? [String: Any])?["id"] as? String, "\(created.text)")
            let job = try await server.settledExport("\(ReviewFixtures.base)/exports/access_review/\(id)")
            #expect(job["status"] as? String == "FINISHED" && job["row_count"] as? Int == 4, "\(job)")
            let download = try await server.request(.get, try #require(job["download_url"] as? String))
            #expect(download.status == .ok && download.text == csv)
            try await server.request(.get, "/api/private/lifecycle_management/exports/\(id)").expectEnvelope(status: 404, code: "NotFound")

            // The export loads into a new certification as it was (sign-off and history aside).
            let copy = try await ReviewFixtures.certification(server)
            let loaded = try await ReviewFixtures.load(server, copy, csv, contentType: "text/csv")
            #expect(loaded.status == .ok, "\(loaded.text)")
            let again = try await server.client.execute(
                uri: Self.create, method: .post, headers: [.authorization: "Bearer \(server.adminKey)", .accept: "text/csv"],
                body: ByteBuffer(string: body.replacingOccurrences(of: certification, with: copy)))
            let copied = try records(again.text)
            let keep = ["result_id", "source.name", "source.is_active", "source.logins", "source.tags", "decision", "notes", "concrete_permissions"]
            func project(_ table: [[String]]) -> [[String]] {
                let indexes = keep.map { name in table[0].firstIndex(of: name) ?? 0 }
                return table.map { row in indexes.map { row[$0] } }
            }
            #expect(project(copied) == project(table))
        }
    }

    @Test func badExportsAreRejected() async throws {
        try await TestServer.run { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let cases: [(String, Int, String)] = [
                (#"{"certification_id": "\#(certification)", "format": "XLSX"}"#, 400, "CSV"),
                (#"{"certification_id": "\#(certification)", "format": 6}"#, 400, "CSV"),
                (#"{"format": "CSV"}"#, 400, "certification_id is required"),
                (#"{"certification_id": "\#(certification)", "previous_certification_id": "x"}"#, 400, "not supported"),
                (#"{"certification_id": "\#(certification)", "filter": "source.is_active gt true"}"#, 400, "source.is_active"),
                (#"{"certification_id": "\#(certification)", "mutable_filter": "source.name eq \"x\""}"#, 400, "invalid mutable_filter"),
                (#"{"certification_id": "\#(certification)", "order_by": "source.tags asc"}"#, 400, "order_by"),
                (#"{"certification_id": "\#(certification)", "colour": 1}"#, 400, "not a field of an access review export"),
                (#"{"certification_id": "nope"}"#, 404, "certification nope"),
            ]
            for (body, status, words) in cases {
                let response = try await server.request(.post, Self.create, json: body)
                #expect(response.expectEnvelope(status: status, code: status == 400 ? "InvalidArgument" : "NotFound").contains(words), "\(body) → \(response.text)")
            }
            let viewer = try await server.key(.viewer)
            try await server.request(.post, Self.create, key: viewer, json: #"{"certification_id": "\#(certification)"}"#)
                .expectEnvelope(status: 403, code: "PermissionDenied")
        }
    }

    /// Past the cap the export gets a 429, streamed or a job, until a slot frees.
    @Test func exportsPastTheCapWaitForASlot() async throws {
        try await TestServer.run(maxConcurrentExports: 1) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let body = #"{"certification_id": "\#(certification)"}"#
            let held = try server.exports.reserve()
            for accept in ["application/json", "text/csv"] {
                try await server.request(.post, Self.create, json: body, accept: accept).expectRetryLater()
            }
            held.release()
            let streamed = try await server.request(.post, Self.create, json: body, accept: "text/csv")
            #expect(streamed.status == .ok && streamed.text.hasPrefix("result_id,"), "\(streamed.text)")
        }
    }

    /// Every property is a column, also those no filter can name (a space, non-ASCII, names
    /// differing only in case).
    @Test(arguments: TestDatabase.kinds)
    func everyPropertyIsExported(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            let rows = #"[{"result_id": 1, "source": {"display name": "Ada L.", "Name": "upper", "name": "lower", "ålder": 36, "2fa": true}}]"#
            #expect(try await ReviewFixtures.load(server, certification, rows).status == .ok)
            let csv = try await server.client.execute(
                uri: Self.create, method: .post, headers: [.authorization: "Bearer \(server.adminKey)", .accept: "text/csv", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"certification_id": "\#(certification)"}"#))
            let table = try records(csv.text)
            let header = table.first ?? []
            let row = Dictionary(uniqueKeysWithValues: zip(header, table.dropFirst().first ?? []))
            #expect(row["source.display name"] == "Ada L." && row["source.Name"] == "upper" && row["source.name"] == "lower")
            #expect(row["source.ålder"] == "36" && row["source.2fa"] == "true")
        }
    }
}
