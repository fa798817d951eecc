import AccessReviews
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ResultRoutesTests {
    private func ids(_ server: TestServer, _ certification: String, _ parameters: [(String, String)]) async throws -> [Int] {
        let response = try await server.request(
            .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", parameters + [("page_size", "2000")]))
        #expect(response.status == .ok, "\(parameters): \(response.text)")
        return (response.json["values"] as? [[String: Any]] ?? []).compactMap { $0["result_id"] as? Int }
    }

    private func filtered(_ server: TestServer, _ certification: String, _ filter: String) async throws -> [Int] {
        try await ids(server, certification, [("filter", filter)])
    }

    @Test(arguments: TestDatabase.kinds)
    func filtersCompareEachPropertyAsItsType(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            let loaded = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            #expect(loaded.status == .ok && (loaded.json["value"] as? [String: Int])?["rows_loaded"] == 6, "\(loaded.text)")
            let cases: [(String, [Int])] = [
                // Veza's own example: a quoted "true" matches the boolean, and rows without the property match ne.
                (#"source.is_active ne "true""#, [2, 4, 6]),
                ("source.is_active eq true", [1, 3, 5]),
                (#"source.name co "ADA" or source.name sw "alan""#, [1, 3]),
                ("source.logins gt 1", [1, 3]),
                ("source.logins le 0 or source.logins eq null", [2, 4, 5, 6]),
                (#"source.tags eq "eng""#, [1, 2]),
                (#"source.tags[value sw "ad"]"#, [1]),
                ("source.tags pr", [1, 2]),
                (#"source.code eq "7""#, [2]),
                (#"source.nickname eq "ewd""#, [4]),
                (#"source.never_seen eq "x""#, []),
                (#"source.never_seen ne "x""#, [1, 2, 3, 4, 5, 6]),
                (#"destination.owner pr"#, []),
                (#"destination.name eq "wiki" and not (decision eq "RESULT_DECISION_REJECTED")"#, [4]),
                (#"abstract_permissions eq "read""#, [1, 3]),
                (#"concrete_permissions[value eq "INSERT"]"#, [2]),
                (#"notes co "LEFT""#, [3]),
                ("result_id ge 5", [5, 6]),
                (#"reviewers eq "REV@example.com""#, [1]),
                (#"reviewers.name co "re" and reviewers.id eq "u1""#, [1]),
                ("reviewers pr", [1]),
                ("reviewers eq null", [2, 3, 4, 5, 6]),
                (#"reviewers.id eq "U1""#, []),
            ]
            for (filter, expected) in cases {
                #expect(try await filtered(server, certification, filter) == expected, "\(filter)")
            }
            // Text orders by its bytes (upper case before lower), as every list does.
            #expect(try await ids(server, certification, [("order_by", "source.name desc")]) == [3, 6, 2, 4, 5, 1])
            #expect(try await ids(server, certification, [("filter", "source.logins pr"), ("order_by", "source.logins desc")]) == [1, 3, 2])

            let bad = try await server.request(.get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("filter", "source.is_active gt true")]))
            #expect(bad.expectEnvelope(status: 400, code: "InvalidArgument").contains(#"field "source.is_active" does not support operator "gt"; allowed: eq, ne, pr"#))
            let badOrder = try await server.request(.get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("order_by", "source.tags")]))
            badOrder.expectEnvelope(status: 400, code: "InvalidArgument")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func rowsPageAndReadBackAsLoaded(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            var seen: [Int] = []
            var token = ""
            repeat {
                let page = try await server.request(
                    .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("page_size", "4"), ("page_token", token)]))
                seen += (page.json["values"] as? [[String: Any]] ?? []).compactMap { $0["result_id"] as? Int }
                token = page.json["has_more"] as? Bool == true ? page.json["next_page_token"] as? String ?? "" : ""
            } while !token.isEmpty
            #expect(seen == [1, 2, 3, 4, 5, 6])

            let one = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/1")
            let value = one.json["value"] as? [String: Any] ?? [:]
            #expect(value["decision"] as? String == "RESULT_DECISION_NONE")
            #expect(value["signed_off_state"] as? String == "NOT_SIGNED_OFF")
            #expect((value["source"] as? [String: Any])?["tags"] as? [String] == ["admin", "eng"])
            #expect((value["reviewers"] as? [[String: String]])?.first?["email"] == "rev@example.com")
            #expect(value["updated_at"] is NSNull && value["signed_off_by"] == nil)
            let third = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/3").json["value"] as? [String: Any]
            #expect(third?["decision"] as? String == "RESULT_DECISION_REJECTED" && third?["notes"] as? String == "left")

            try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/99").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.get, "\(ReviewFixtures.base)/certifications/nope/results").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/x").expectEnvelope(status: 400, code: "InvalidArgument")

            let cert = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)").json["value"] as? [String: Any]
            #expect(cert?["total_result_count"] as? Int == 6 && cert?["total_complete_count"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func ndjsonAndCSVLoadAndAssignIDs(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            let ndjson = """
                {"source": {"name": "one", "is_active": true}}

                {"result_id": 10, "source": {"name": "ten"}}
                """
            let first = try await ReviewFixtures.load(server, certification, ndjson, contentType: "application/x-ndjson")
            #expect(first.status == .ok, "\(first.text)")
            let csv = "result_id,source.name,source.is_active,source.age,abstract_permissions,reviewers,decision,notes\r\n"
                + ",\"Lovelace, Ada\",true,36,Read;Write,a@example.com;b@example.com,ACCEPTED,\"said \"\"yes\"\"\"\r\n"
                + ",'=cmd,false,,,,,\n"
            let second = try await ReviewFixtures.load(server, certification, csv, contentType: "text/csv")
            #expect(second.status == .ok, "\(second.text)")
            // Rows without an id get the ones after the highest id loaded so far, in order.
            #expect(try await filtered(server, certification, "result_id ge 0") == [10, 11, 12, 13])
            #expect(try await filtered(server, certification, #"source.name eq "one""#) == [11])
            #expect(try await filtered(server, certification, "source.is_active eq false") == [13])
            #expect(try await filtered(server, certification, "source.age eq 36") == [12])
            let ada = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/12").json["value"] as? [String: Any]
            #expect((ada?["source"] as? [String: Any])?["name"] as? String == "Lovelace, Ada")
            #expect(ada?["abstract_permissions"] as? [String] == ["Read", "Write"])
            #expect(ada?["notes"] as? String == #"said "yes""#)
            #expect(ada?["decision"] as? String == "RESULT_DECISION_ACCEPTED")
            #expect((ada?["reviewers"] as? [[String: String]])?.map { $0["email"] } == ["a@example.com", "b@example.com"])
            let cmd = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/13").json["value"] as? [String: Any]
            #expect((cmd?["source"] as? [String: Any])?["name"] as? String == "=cmd")
        }
    }

    /// Each bad import, and words its 400 contains; none of them loads anything.
    static let badImports: [(String, String, String)] = [
        (#"[{"result_id": 1}, {"result_id": 1}]"#, "application/json", "appears more than once"),
        (#"[{"result_id": 2}]"#, "application/json", "already exists"),
        (#"[{"source": {"a": 1}, "owner": "x"}]"#, "application/json", "not a field of a result row"),
        (#"[{"result_id": 3}, 5]"#, "application/json", "[1]"),
        ("{\"source\": {}}\n{\"source\": 3}\n", "application/x-ndjson", "line 2"),
        ("source.name,owner\nx,y\n", "text/csv", "CSV column \"owner\""),
        ("source.name,source.age\nx\n", "text/csv", "record 2 has 1 cells"),
        ("source.name\n\"open\n", "text/csv", "not closed"),
        ("result_id\nseven\n", "text/csv", "not a whole number"),
        ("decision\nMAYBE\n", "text/csv", "not a decision"),
        (#"[{"source": {"": 1}}]"#, "application/json", "a property name is empty"),
        (#"[{"source": {"a\u0000b": 1}}]"#, "application/json", "contains a NUL character"),
        ("source.\n1\n", "text/csv", "CSV column \"source.\""),
        (#"[{"result_id": 9223372036854775807}]"#, "application/json", "out of range"),
        (#"[{"result_id": -1}]"#, "application/json", "out of range"),
        ("[" + (0..<501).map { #"{"source": {"p\#($0)": 1}}"# }.joined(separator: ",") + "]", "application/json", "the maximum is 500"),
    ]

    @Test(arguments: TestDatabase.kinds)
    func badImportsLoadNothing(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            #expect(try await ReviewFixtures.load(server, certification, #"[{"result_id": 2}]"#).status == .ok)
            for (body, type, words) in Self.badImports {
                let response = try await ReviewFixtures.load(server, certification, body, contentType: type)
                #expect(response.expectEnvelope(status: 400, code: "InvalidArgument").contains(words), "\(body) → \(response.text)")
            }
            #expect(try await filtered(server, certification, "result_id ge 0") == [2])
            try await ReviewFixtures.load(server, "nope", "[]").expectEnvelope(status: 404, code: "NotFound")
            let reviewer = try await server.key(.reviewer)
            try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/results:import", key: reviewer, json: "[]")
                .expectEnvelope(status: 403, code: "PermissionDenied")
        }
    }

    /// Rows are written from their stored JSON; the body is exactly what `ReviewResult` encodes
    /// (on PostgreSQL, jsonb spaces its objects differently, so the values are compared).
    @Test(arguments: TestDatabase.kinds)
    func theBodyIsWhatReviewResultEncodes(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            _ = try await server.request(
                .put, "\(ReviewFixtures.base)/certifications/\(certification)/results",
                json: #"{"value": {"result_id": 2, "decision": "REJECTED", "notes": "tab\tand \"quotes\"", "signed_off_state": "SIGNED_OFF"}}"#)
            _ = try await server.request(
                .put, "\(ReviewFixtures.base)/certifications/\(certification)/results",
                json: #"{"value": {"result_id": 3, "reviewers": [{"user_type": "OktaUser", "id": "u2", "email": "é@example.com", "name": "Zoë"}]}}"#)
            let define = try await server.request(
                .post, SmartActionDefinitionRoutesTests.path, json: #"{"name": "Note \"all\"", "apply_to_all_rows": true, "mutable_fields": {"notes": "bulk", "decision": "FIXED"}}"#)
            let definition = define.json["id"] as? String ?? ""
            let applied = try await server.request(
                .post, "\(ReviewFixtures.base)/certifications/\(certification)/results:apply_smart_action", json: #"{"smart_action_definition_id": "\#(definition)"}"#)
            let batch = (applied.json["value"] as? [String: Any])?["batch_id"] as? String ?? ""
            _ = try await server.request(.post, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches/\(batch):undo")
            let response = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results")
            let page = try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
            #expect(page.values.count == 6 && page.values[1].signedOffBy != nil && page.values[1].actionLog.entries.count == 1)
            #expect(page.values[2].actionLog.entries.map(\.action) == [.update, .smartAction, .undoSmartAction])
            #expect(page.values[2].actionLog.entries[0].reviewerDetail?.newReviewers.first?.name == "Zoë")
            #expect(page.values[2].actionLog.entries[1].smartActionName == #"Note "all""#)
            let encoded = try WireJSON.encoder().encode(page.values)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            let written = try JSONSerialization.data(withJSONObject: body?["values"] ?? [], options: [.sortedKeys])
            let reencoded = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: encoded), options: [.sortedKeys])
            #expect(written == reencoded)
            if kind == .sqlite {
                let text = response.text
                let values = String(text[text.range(of: #""values":"#)!.upperBound...].dropLast())
                #expect(values == String(decoding: encoded, as: UTF8.self))
            }
            let one = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/results/2")
            #expect(try JSONDecoder().decode(ValueEnvelope<ReviewResult>.self, from: Data(buffer: one.body)).value == page.values[1])
        }
    }

    struct Page: Decodable {
        var values: [ReviewResult]
    }

    /// A page remembers the certification's properties; a load that changes them (a new property,
    /// or a property whose values change type) is seen by the very next page.
    @Test(arguments: TestDatabase.kinds)
    func pagesSeePropertiesALoadChanged(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, #"[{"result_id": 1, "source": {"level": 1}}, {"result_id": 2, "source": {"level": 2}}]"#)
            #expect(try await filtered(server, certification, "source.level gt 1") == [2])
            let bad = try await server.request(.get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("filter", #"source.level eq "high""#)]))
            #expect(bad.expectEnvelope(status: 400, code: "InvalidArgument").contains("expects an integer"))
            let first = try await server.request(
                .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("order_by", "source.level desc"), ("page_size", "1")]))
            let token = first.json["next_page_token"] as? String ?? ""
            _ = try await ReviewFixtures.load(server, certification, #"[{"result_id": 3, "source": {"level": "high", "team": "blue"}}]"#)
            // The token's sort key was a number; source.level now compares as text, so the token is refused.
            let stale = try await server.request(
                .get, TestServer.uri("\(ReviewFixtures.base)/certifications/\(certification)/results", [("order_by", "source.level desc"), ("page_size", "1"), ("page_token", token)]))
            #expect(stale.expectEnvelope(status: 400, code: "InvalidArgument").contains("page_token"))
            #expect(try await filtered(server, certification, #"source.level eq "high""#) == [3])
            #expect(try await filtered(server, certification, #"source.team eq "blue""#) == [3])
            #expect(try await filtered(server, certification, #"source.level eq "2""#) == [2])
        }
    }
}
