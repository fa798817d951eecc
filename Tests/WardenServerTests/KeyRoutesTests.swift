import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct KeyRoutesTests {
    @Test(arguments: TestDatabase.kinds)
    func createListGetRevoke(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let created = try await server.request(.post, "/api/preview/keys", json: #"{"name":"ci bot","role":"OPERATOR"}"#)
            #expect(created.status == .ok, "\(created.text)")
            let value = created.json["value"] as? [String: Any] ?? [:]
            let id = value["id"] as? String ?? ""
            let secret = value["access_key"] as? String ?? ""
            #expect(value["role"] as? String == "operator")
            #expect(secret.hasPrefix("wdn_\(id)_"))

            // The new key works, and the API never shows its secret again.
            let templates = try await server.request(.get, "/api/v1/providers/custom/templates", key: secret)
            #expect(templates.status == .ok)
            #expect(templates.text == #"{"values":[]}"#)
            let fetched = try await server.request(.get, "/api/preview/keys/\(id)")
            #expect((fetched.json["value"] as? [String: Any])?["access_key"] as? String == "")

            let listed = try await server.request(.get, TestServer.uri("/api/preview/keys", [("filter", #"name sw "CI" and role eq "operator""#)]))
            let values = listed.json["values"] as? [[String: Any]] ?? []
            #expect(values.map { $0["id"] as? String } == [id])
            #expect(listed.json["has_more"] as? Bool == false)

            let revoked = try await server.request(.post, "/api/preview/keys/\(id):revoke")
            #expect(revoked.status == .ok && revoked.text == "{}")
            let afterRevoke = try await server.request(.get, "/api/v1/providers/custom/templates", key: secret)
            afterRevoke.expectEnvelope(status: 401, code: "Unauthenticated")

            try await server.request(.get, "/api/preview/keys/doesnotexist").expectEnvelope(status: 404, code: "NotFound")
        }
    }

    @Test func onlyAdminsManageKeys() async throws {
        try await TestServer.run { server in
            for role in [Role.operator, .reviewer, .viewer] {
                let key = try await server.key(role)
                let list = try await server.request(.get, "/api/preview/keys", key: key)
                let message = list.expectEnvelope(status: 403, code: "PermissionDenied")
                #expect(message.contains("admin") && message.contains(role.rawValue))
                let create = try await server.request(.post, "/api/preview/keys", key: key, json: #"{"name":"x","role":"admin"}"#)
                create.expectEnvelope(status: 403, code: "PermissionDenied")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aReviewersKeyCarriesTheirEmail(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let created = try await server.request(.post, "/api/preview/keys", json: #"{"role": "reviewer", "email": "Kim@Example.com"}"#)
            let value = created.json["value"] as? [String: Any] ?? [:]
            #expect(value["email"] as? String == "kim@example.com" && value["name"] as? String == "kim@example.com", "\(created.text)")
            let listed = try await server.request(.get, TestServer.uri("/api/preview/keys", [("filter", #"email eq "KIM@example.com""#)]))
            #expect((listed.json["values"] as? [[String: Any]])?.map { $0["id"] as? String } == [value["id"] as? String])

            let missing = try await server.request(.post, "/api/preview/keys", json: #"{"name": "kim", "role": "reviewer"}"#)
            #expect(missing.expectEnvelope(status: 400, code: "InvalidArgument").contains("needs an email"))
            #expect(((missing.json["details"] as? [[String: Any]])?.first?["field_violations"] as? [[String: String]])?.first?["field"] == "email")
            let twice = try await server.request(.post, "/api/preview/keys", json: #"{"name": "not kim", "role": "reviewer", "email": "kim@example.com"}"#)
            #expect(twice.expectEnvelope(status: 409, code: "AlreadyExists").contains("kim@example.com"))
        }
    }

    @Test func pagesThroughEveryKeyOnce() async throws {
        try await TestServer.run { server in
            for index in 0..<23 {
                _ = try await server.keys.create(name: "key-\(index % 5)", role: .viewer, createdBy: "test")
            }
            var seen: [String] = []
            var token = ""
            repeat {
                var parameters = [("page_size", "4"), ("order_by", "name asc")]
                if !token.isEmpty { parameters.append(("page_token", token)) }
                let page = try await server.request(.get, TestServer.uri("/api/preview/keys", parameters))
                #expect(page.status == .ok, "\(page.text)")
                seen += (page.json["values"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                token = page.json["has_more"] as? Bool == true ? page.json["next_page_token"] as? String ?? "" : ""
            } while !token.isEmpty
            #expect(seen.count == 24)
            #expect(Set(seen).count == 24)
        }
    }
}
