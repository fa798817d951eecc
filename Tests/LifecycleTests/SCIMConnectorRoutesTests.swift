import Foundation
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

/// SCIM connectors and access profiles through the API: the bearer token is never shown, the
/// attribute mapping is checked path by path and template by template, and profiles name a SCIM
/// connector's groups.
@Suite struct SCIMConnectorRoutesTests {
    static let connectors = "/api/private/lifecycle_management/connectors"
    static let profiles = "/api/private/lifecycle_management/access_profiles"

    static let scim = #"""
        {"name": "app", "type": "SCIM", "base_url": "https://app.example.com/scim/v2", "bearer_token": "t0ken-s3cret",
         "attribute_mapping": {"userName": "{email}", "name.givenName": "{first_name}", "emails[type eq \"work\"].value": "{email | LOWER}",
                               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "{manager_id}"}}
        """#

    @Test(arguments: TestDatabase.kinds)
    func aSCIMConnectorKeepsItsTokenSecretAndShowsItsMapping(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let created = try await server.request(.post, Self.connectors, json: Self.scim)
            #expect(created.status == .ok, "\(created.text)")
            let shown = try await server.request(.get, "\(Self.connectors)/app")
            #expect(!shown.text.contains("t0ken-s3cret"), "\(shown.text)")
            let value = try #require(shown.json["value"] as? [String: Any])
            #expect(value["type"] as? String == "SCIM" && value["has_bearer_token"] as? Bool == true)
            #expect((value["attribute_mapping"] as? [String: String])?["name.givenName"] == "{first_name}")
            let stored = try await server.database.rows(server.database.statement("SELECT settings || secrets FROM lcm_connectors"))
            for row in stored {
                var reader = row.reader()
                #expect(!(try reader.text()).contains("t0ken-s3cret"))
            }
            #expect(try await server.connectors.connector(named: "app")?.bearerToken == "t0ken-s3cret")

            let patched = try await server.request(.patch, "\(Self.connectors)/app", json: #"{"attribute_mapping": {"userName": "{email}"}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try await server.connectors.connector(named: "app")?.bearerToken == "t0ken-s3cret", "a PATCH without the token keeps it")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func everyMappingProblemIsA400NamingItsField(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let response = try await server.request(.post, Self.connectors, json: #"""
                {"name": "app", "type": "SCIM", "base_url": "ftp://x", "host": "h",
                 "attribute_mapping": {"name.givenName": "{first_name", "emails[type \"work\"].value": "{email}", "id": "{employee_id}",
                                       "emails[type eq \"work\"]": "{email}", "urn:x:only:": "{a}"}}
                """#)
            response.expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(Set(ConnectorRoutesTests.violations(response)) == [
                "base_url", "bearer_token", "host", "attribute_mapping.userName", "attribute_mapping.name.givenName",
                "attribute_mapping.emails[type \"work\"].value", "attribute_mapping.id", "attribute_mapping.emails[type eq \"work\"]",
                "attribute_mapping.urn:x:only:",
            ], "\(response.text)")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func accessProfilesNameTheGroupsOfOneSCIMConnector(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            #expect(try await server.request(.post, Self.connectors, json: Self.scim).status == .ok)
            #expect(try await server.request(.post, Self.connectors, json: #"{"name": "hr", "type": "REST", "base_url": "https://hr.example.com"}"#).status == .ok)
            let created = try await server.request(.post, Self.profiles, json: #"{"name": "Engineering-Base", "connector": "app", "groups": ["engineering", "vpn"]}"#)
            #expect(created.status == .ok, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let byName = try await server.request(.get, "\(Self.profiles)/Engineering-Base")
            #expect((byName.json["value"] as? [String: Any])?["id"] as? String == id)
            #expect((byName.json["value"] as? [String: Any])?["groups"] as? [String] == ["engineering", "vpn"])
            try await server.request(.post, Self.profiles, json: #"{"name": "Engineering-Base", "connector": "app", "groups": ["x"]}"#)
                .expectEnvelope(status: 409, code: "AlreadyExists")

            let bad = try await server.request(.post, Self.profiles, json: #"{"name": "bad name", "connector": "hr", "groups": ["a", "a", " "]}"#)
            bad.expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(Set(ConnectorRoutesTests.violations(bad)) == ["name", "connector", "groups[1]", "groups[2]"], "\(bad.text)")
            let missing = try await server.request(.post, Self.profiles, json: #"{"name": "x", "connector": "nope", "colour": 1}"#)
            missing.expectEnvelope(status: 400, code: "InvalidArgument")

            let replaced = try await server.request(.put, "\(Self.profiles)/\(id)", json: #"{"name": "Eng", "connector": "app", "groups": ["engineering"]}"#)
            #expect((replaced.json["value"] as? [String: Any])?["name"] as? String == "Eng", "\(replaced.text)")
            let list = try await server.request(.get, Self.profiles)
            #expect((list.json["values"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Eng"])
            #expect(try await server.request(.delete, "\(Self.profiles)/Eng").status == .ok)
            try await server.request(.get, "\(Self.profiles)/Eng").expectEnvelope(status: 404, code: "NotFound")
        }
    }
}
