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
