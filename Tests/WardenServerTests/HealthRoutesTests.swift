import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct HealthRoutesTests {
    @Test func healthReadinessMetricsAndSpecNeedNoKey() async throws {
        try await TestServer.run { server in
            #expect(try await server.request(.get, "/healthz", key: "").status == .ok)
            #expect(try await server.request(.get, "/readyz", key: "").json["status"] as? String == "ready")
            let metrics = try await server.request(.get, "/metrics", key: "")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let spec = try await server.request(.get, "/openapi.yaml", key: "")
            let repositorySpec = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml"), encoding: .utf8)
            #expect(spec.text == repositorySpec)
        }
    }

    /// With the database gone, `/readyz` says only "not ready": not the database's address, nor its
    /// error (those go to the log).
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func readinessSaysOnlyNotReady() async throws {
        try await TestServer.run(.postgres) { server in
            var name = try await server.database.first(server.database.statement("SELECT current_database()"))?.reader()
            let current = try name?.text() ?? ""
            let url = try #require(TestDatabase.postgresURL)
            try await TestDatabase.runOnMaintenance(try TestDatabase.postgresSettings(), [
                "ALTER DATABASE \(current) ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(current)'",
            ])
            let response = try await server.request(.get, "/readyz", key: "")
            #expect(response.expectEnvelope(status: 503, code: "Unavailable") == "not ready")
            let address = try #require(URLComponents(string: url))
            for secret in [address.host ?? "", address.port.map(String.init) ?? "", "PostgreSQL", current] {
                #expect(!response.text.contains(secret), "\(response.text)")
            }
        }
    }

    @Test func providerTemplatesAnswerVezasConnectionTest() async throws {
        try await TestServer.run { server in
            let viewer = try await server.key(.viewer)
            let response = try await server.request(.get, "/api/v1/providers/custom/templates", key: viewer)
            #expect(response.status == .ok)
            #expect(response.json["values"] as? [Any] != nil)
            try await server.request(.get, "/api/v1/providers/custom/templates", key: "").expectEnvelope(status: 401, code: "Unauthenticated")
        }
    }
}
