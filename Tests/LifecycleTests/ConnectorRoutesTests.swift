import Foundation
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ConnectorRoutesTests {
    static let path = "/api/private/lifecycle_management/connectors"
    static let secrets = ["Bearer s3cr3t-token", "k3y-value", "mail-pa55word", "n3w-secret"]

    static let rest = #"""
        {"name": "hr-api", "type": "REST", "base_url": "https://hr.example.com/api", "headers": {"Accept": "application/json"},
         "secret_headers": {"Authorization": "Bearer s3cr3t-token", "X-Api-Key": "k3y-value"}, "description": "HR system"}
        """#
    static let smtp = #"""
        {"name": "mail", "type": "smtp", "host": "smtp.example.com", "port": 587, "starttls": "REQUIRED", "username": "mailer",
         "password": "mail-pa55word", "from": "warden@example.com"}
        """#

    /// Checks that no secret appears in `response` and returns its JSON.
    @discardableResult
    static func reveal(_ response: TestResponse, status: Int = 200, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        #expect(Int(response.status.code) == status, "\(response.text)", sourceLocation: sourceLocation)
        for secret in secrets {
            #expect(!response.text.contains(secret), "a response shows a secret: \(response.text)", sourceLocation: sourceLocation)
        }
        return response.json
    }

    static func create(_ server: TestServer, _ json: String) async throws -> String {
        let created = reveal(try await server.request(.post, path, json: json))
        return try #require(created["id"] as? String)
    }

    @Test(arguments: TestDatabase.kinds)
    func secretsAreStoredEncryptedAndNeverShown(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let id = try await Self.create(server, Self.rest)
            _ = try await Self.create(server, Self.smtp)

            let byID = Self.reveal(try await server.request(.get, "\(Self.path)/\(id)"))["value"] as? [String: Any] ?? [:]
            #expect(byID["name"] as? String == "hr-api")
            #expect(byID["type"] as? String == "REST")
            #expect(byID["base_url"] as? String == "https://hr.example.com/api")
            #expect(byID["headers"] as? [String: String] == ["Accept": "application/json"])
            #expect(byID["secret_header_names"] as? [String] == ["Authorization", "X-Api-Key"])
            #expect(byID["timeout_seconds"] as? Int == 30)
            #expect(byID["secret_headers"] == nil && byID["host"] == nil)

            let byName = Self.reveal(try await server.request(.get, "\(Self.path)/mail"))["value"] as? [String: Any] ?? [:]
            #expect(byName["has_password"] as? Bool == true)
            #expect(byName["starttls"] as? String == "REQUIRED")
            #expect(byName["port"] as? Int == 587)
            #expect(byName["password"] == nil)

            let list = Self.reveal(try await server.request(.get, Self.path))
            #expect((list["values"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["hr-api", "mail"])
            #expect(list["has_more"] as? Bool == false)

            // At rest the secrets are ciphertext; the runner's view has them in the clear.
            let stored = try await server.database.rows(server.database.statement("SELECT settings || secrets FROM lcm_connectors"))
            for row in stored {
                var reader = row.reader()
                let text = try reader.text()
                for secret in Self.secrets { #expect(!text.contains(secret)) }
            }
            let connector = try #require(try await server.connectors.connector(named: "hr-api"))
            #expect(connector.secretHeaders == ["Authorization": "Bearer s3cr3t-token", "X-Api-Key": "k3y-value"])
            #expect(try await server.connectors.connector(named: "mail")?.password == "mail-pa55word")
            #expect(server.connectors.connectorTypes() == ["hr-api": .rest, "mail": .smtp])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func patchReplacesWhatIsSentAndKeepsSecrets(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let id = try await Self.create(server, Self.rest)
            _ = try await Self.create(server, Self.smtp)

            let patched = Self.reveal(try await server.request(.patch, "\(Self.path)/\(id)", json: #"{"description": "HR v2", "timeout_seconds": 5}"#))
            let value = patched["value"] as? [String: Any] ?? [:]
            #expect(value["description"] as? String == "HR v2")
            #expect(value["timeout_seconds"] as? Int == 5)
            #expect(value["headers"] as? [String: String] == ["Accept": "application/json"])
            var connector = try #require(try await server.connectors.connector(named: "hr-api"))
            #expect(connector.secretHeaders == ["Authorization": "Bearer s3cr3t-token", "X-Api-Key": "k3y-value"])

            Self.reveal(try await server.request(
                .patch, "\(Self.path)/hr-api", json: #"{"secret_headers": {"X-Api-Key": "", "X-Other": "n3w-secret"}, "headers": {}}"#))
            connector = try #require(try await server.connectors.connector(named: "hr-api"))
            #expect(connector.secretHeaders == ["Authorization": "Bearer s3cr3t-token", "X-Other": "n3w-secret"])
            #expect(connector.headers == [:])

            Self.reveal(try await server.request(.patch, "\(Self.path)/mail", json: #"{"port": 2525, "name": "mail-2"}"#))
            #expect(try await server.connectors.connector(named: "mail") == nil)
            let mail = try #require(try await server.connectors.connector(named: "mail-2"))
            #expect(mail.password == "mail-pa55word" && mail.port == 2525)
            #expect(server.connectors.connectorTypes() == ["hr-api": .rest, "mail-2": .smtp])

            try await server.request(.delete, "\(Self.path)/mail-2").expectEmptyObject()
            try await server.request(.get, "\(Self.path)/mail-2").expectEnvelope(status: 404, code: "NotFound")
            try await server.request(.delete, "\(Self.path)/mail-2").expectEnvelope(status: 404, code: "NotFound")
            #expect(server.connectors.connectorTypes() == ["hr-api": .rest])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func everyProblemIsA400NamingItsField(kind: DatabaseKind) async throws {
        try await TestServer.run(kind) { server in
            let response = try await server.request(.post, Self.path, json: #"""
                {"name": "bad name", "type": "REST", "base_url": "ftp://files.example.com", "timeout_seconds": 0,
                 "headers": {"Bad Header": "x", "Authorization": "y"}, "secret_headers": {"Authorization": "Bearer s3cr3t-token"},
                 "host": "smtp.example.com", "ca_file": "/nonexistent/ca.pem"}
                """#)
            response.expectEnvelope(status: 400, code: "InvalidArgument")
            Self.reveal(response, status: 400)
            let fields = Set(Self.violations(response))
            #expect(fields == ["name", "base_url", "timeout_seconds", "headers.Bad Header", "secret_headers.Authorization", "host", "ca_file"])

            let mail = try await server.request(.post, Self.path, json: #"""
                {"name": "mail", "type": "SMTP", "port": 70000, "from": "not-an-address", "password": "mail-pa55word"}
                """#)
            mail.expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(Set(Self.violations(mail)) == ["host", "port", "from", "username"])

            for (json, field) in [
                (#"{"name": "x"}"#, "type"),
                (#"{"name": "x", "type": "FTP"}"#, "type"),
                (#"{"name": "x", "type": "WEBHOOK", "url": "https://u:p@hooks.example.com/x"}"#, "url"),
                (#"{"name": "x", "type": "WEBHOOK", "url": "not a url"}"#, "url"),
                (#"{"name": "x", "type": "REST", "base_url": "https://a.example.com", "colour": "red"}"#, "colour"),
                (#"{"name": "x", "type": "SMTP", "host": "h", "from": "a@b.c", "starttls": "SOMETIMES"}"#, "starttls"),
                (#"{"name": "x", "type": "SMTP", "host": "h", "from": "a@b.c", "port": "25"}"#, "port"),
            ] {
                let rejected = try await server.request(.post, Self.path, json: json)
                rejected.expectEnvelope(status: 400, code: "InvalidArgument")
                #expect(Self.violations(rejected).contains(field), "\(json): \(rejected.text)")
            }

            _ = try await Self.create(server, Self.rest)
            try await server.request(.post, Self.path, json: Self.rest).expectEnvelope(status: 409, code: "AlreadyExists")
            _ = try await Self.create(server, Self.smtp)
            try await server.request(.patch, "\(Self.path)/mail", json: #"{"name": "hr-api"}"#).expectEnvelope(status: 409, code: "AlreadyExists")
            let retype = try await server.request(.patch, "\(Self.path)/mail", json: #"{"type": "REST"}"#)
            retype.expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(Self.violations(retype) == ["type"])
            let wrongField = try await server.request(.patch, "\(Self.path)/mail", json: #"{"base_url": "https://x.example.com", "port": 0}"#)
            #expect(Set(Self.violations(wrongField)) == ["base_url", "port"])
            #expect(try await server.connectors.connector(named: "mail")?.port == 587, "a rejected PATCH changes nothing")
        }
    }

    /// The fields of a 400's violations.
    static func violations(_ response: TestResponse) -> [String] {
        let details = response.json["details"] as? [[String: Any]] ?? []
        return details.flatMap { ($0["field_violations"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    }
}

extension TestResponse {
    fileprivate func expectEmptyObject(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status.code == 200 && text == "{}", "\(text)", sourceLocation: sourceLocation)
    }
}
