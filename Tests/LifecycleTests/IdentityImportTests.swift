import Foundation
import HummingbirdTesting
import Lifecycle
import NIOCore
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct IdentityImportTests {
    static let prefix = "/api/private/lifecycle_management"

    static func createSource(_ server: TestServer, name: String = "HR", idAttribute: String = "employee_id") async throws -> String {
        let response = try await server.request(
            .post, "\(prefix)/identity_sources", json: #"{"name": "\#(name)", "id_attribute": "\#(idAttribute)", "name_attribute": "display_name", "entity_type": "HRWorker"}"#)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["id"] as? String ?? ""
    }

    static func importBody(
        _ server: TestServer, source: String, _ body: String, mode: String = "FULL", contentType: String = "text/csv"
    ) async throws -> TestResponse {
        try await server.request(
            .post, "\(prefix)/identity_sources/\(source)/identities:import?mode=\(mode)", body: ByteBuffer(string: body), contentType: contentType)
    }

    static func imported(_ server: TestServer, source: String, _ body: String, mode: String = "FULL", contentType: String = "text/csv") async throws -> [String: Any] {
        let response = try await importBody(server, source: source, body, mode: mode, contentType: contentType)
        #expect(response.status == .ok, "\(response.text)")
        return response.json["value"] as? [String: Any] ?? [:]
    }

    static func identities(_ server: TestServer, filter: String = "") async throws -> [[String: Any]] {
        let query = filter.isEmpty ? "" : "?filter=\(filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        let response = try await server.request(.get, "\(prefix)/identities\(query)")
        #expect(response.status == .ok, "\(response.text)")
        return response.json["values"] as? [[String: Any]] ?? []
    }

    static let joiners = """
        employee_id,display_name,email,department,manager_id
        E1,Ada Lovelace,ada@example.com,Engineering,
        E2,Grace Hopper,grace@example.com,Engineering,E1
        E3,Alan Turing,alan@example.com,Research,E1

        """

    @Test(arguments: TestDatabase.kinds)
    func joinersThenAMoverAndALeaverAreClassified(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let source = try await Self.createSource(server)
            let first = try await Self.imported(server, source: source, Self.joiners)
            #expect(first["state"] as? String == "COMPLETED")
            #expect(first["joined"] as? Int == 3 && first["changed"] as? Int == 0 && first["left"] as? Int == 0)
            let listed = try await Self.identities(server)
            #expect(Set(listed.compactMap { $0["entity_id"] as? String }) == ["E1", "E2", "E3"])
            let grace = try #require(listed.first { $0["entity_id"] as? String == "E2" })
            #expect(grace["name"] as? String == "Grace Hopper")
            #expect((grace["attributes"] as? [String: Any])?["department"] as? String == "Engineering")
            #expect((grace["attributes"] as? [String: Any])?["manager_id"] as? String == "E1")
            #expect((listed.first { $0["entity_id"] as? String == "E1" }?["attributes"] as? [String: Any])?["manager_id"] == nil)

            let again = try await Self.imported(server, source: source, Self.joiners)
            #expect(again["joined"] as? Int == 0 && again["changed"] as? Int == 0 && again["unchanged"] as? Int == 3)

            let movers = """
                employee_id,display_name,email,department,manager_id
                E1,Ada Lovelace,ada@example.com,Engineering,
                E2,Grace Hopper,grace@example.com,Research,E3
                """
            let second = try await Self.imported(server, source: source, movers)
            #expect(second["joined"] as? Int == 0 && second["changed"] as? Int == 1 && second["left"] as? Int == 1 && second["unchanged"] as? Int == 1)

            let graceID = try #require(grace["id"] as? String)
            let detail = try await server.request(.get, "\(Self.prefix)/identities/\(graceID)")
            let value = try #require(detail.json["value"] as? [String: Any])
            let history = try #require(value["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["JOINED", "CHANGED"])
            let changed = try #require(history.last?["changed_attributes"] as? [String: [String: Any]])
            #expect(Set(changed.keys) == ["department", "manager_id"])
            #expect(changed["department"]?["old"] as? String == "Engineering" && changed["department"]?["new"] as? String == "Research")

            let alan = try #require(try await Self.identities(server, filter: #"entity_id eq "E3""#).first)
            #expect(alan["active"] as? Bool == false && alan["left_at"] != nil)
            let active = try await Self.identities(server, filter: "active eq true")
            #expect(active.count == 2)

            let rehired = try await Self.imported(server, source: source, Self.joiners, mode: "incremental")
            #expect(rehired["joined"] as? Int == 1 && rehired["changed"] as? Int == 1 && rehired["left"] as? Int == 0)
            let back = try #require(try await Self.identities(server, filter: #"entity_id eq "E3""#).first)
            #expect(back["id"] as? String == alan["id"] as? String && back["active"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func ndjsonAndJSONArraysKeepTheirValueTypes(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let source = try await Self.createSource(server)
            let ndjson = """
                {"employee_id": "E1", "display_name": "Ada", "level": 7, "remote": true, "groups": ["eng", "oncall"]}
                {"employee_id": 2, "display_name": "Grace", "level": 9, "manager": {"id": "E1"}}
                """
            let loaded = try await Self.imported(server, source: source, ndjson, contentType: "application/x-ndjson")
            #expect(loaded["joined"] as? Int == 2)
            let ada = try #require(try await Self.identities(server, filter: #"name eq "ada""#).first)
            let attributes = try #require(ada["attributes"] as? [String: Any])
            #expect(attributes["level"] as? Int == 7 && attributes["remote"] as? Bool == true && attributes["groups"] as? [String] == ["eng", "oncall"])
            let array = #"[{"employee_id": "E1", "display_name": "Ada", "level": 8, "remote": true, "groups": ["eng", "oncall"]}]"#
            let moved = try await Self.imported(server, source: source, array, contentType: "application/json")
            #expect(moved["changed"] as? Int == 1 && moved["left"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aBadRowNamesItsLineAndLoadsNothing(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let source = try await Self.createSource(server)
            _ = try await Self.imported(server, source: source, Self.joiners)
            var rows = "employee_id,display_name,department\n"
            for index in 1...12_000 { rows += "N\(index),Person \(index),Sales\n" }
            let cases: [(body: String, contentType: String, message: String)] = [
                (rows + "N7,Someone Else,Sales\n", "text/csv", "line 12002: the id \"N7\" appeared before, on line 8"),
                (rows + "N12001,Short\n", "text/csv", "line 12002: the record has 2 cells; the header has 3"),
                (rows + ",Nobody,Sales\n", "text/csv", "line 12002: the identity has no \"employee_id\""),
                ("name,department\nA,B\n", "text/csv", "line 1: the header has no column \"employee_id\""),
                ("{\"employee_id\": \"E1\"}\nnot json\n", "application/x-ndjson", "line 2 is not a JSON object"),
                ("[{\"employee_id\": \"E1\"}, 3]", "application/json", "element 2 of the array is not an object"),
                ("", "text/csv", "the CSV body is empty"),
            ]
            for (body, contentType, message) in cases {
                let response = try await Self.importBody(server, source: source, body, contentType: contentType)
                let text = response.expectEnvelope(status: 400, code: "InvalidArgument")
                #expect(text.contains(message), "\(text)")
            }
            let listed = try await Self.identities(server)
            #expect(listed.count == 3 && listed.allSatisfy { $0["active"] as? Bool == true })
            let missingMode = try await server.request(
                .post, "\(Self.prefix)/identity_sources/\(source)/identities:import", body: ByteBuffer(string: Self.joiners), contentType: "text/csv")
            #expect(missingMode.expectEnvelope(status: 400, code: "InvalidArgument").contains("mode is required"))
            let unknownSource = try await Self.importBody(server, source: "nope", Self.joiners)
            _ = unknownSource.expectEnvelope(status: 404, code: "NotFound")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func sourcesAreNamedOnceAndFoundByIdOrName(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let id = try await Self.createSource(server, name: "Workday")
            let duplicate = try await server.request(.post, "\(Self.prefix)/identity_sources", json: #"{"name": "Workday"}"#)
            _ = duplicate.expectEnvelope(status: 409, code: "AlreadyExists")
            let unnamed = try await server.request(.post, "\(Self.prefix)/identity_sources", json: #"{"name": " ", "id_attribute": ""}"#)
            let text = unnamed.expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(text.contains("name is required") && text.contains("id_attribute is empty"))
            let byName = try await server.request(.get, "\(Self.prefix)/identity_sources/Workday")
            #expect((byName.json["value"] as? [String: Any])?["id"] as? String == id)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func anImportAStoppedServerLeftRunningIsMarkedFailed(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let insert = database.statement("""
                INSERT INTO lcm_extraction_events (id, source_id, mode, state, started_at, completed_at, identities_read, joined, changed, left_count,
                unchanged, tasks_created, tasks_blocked, message, created_by) VALUES ('cut-short', 's', 'FULL', 'RUNNING', 1, NULL, 0, 0, 0, 0, 0, 0, 0, '', 'test')
                """)
            try await database.transaction { try await $0.execute(insert) }
            try await IdentityImporter(database: database).recoverInterrupted()
            let event = try await IdentityStore(database: database).extractionEvent(id: "cut-short")
            #expect(event.state == .failed && event.message.hasPrefix("interrupted") && event.completedAt != nil)
        }
    }
}
