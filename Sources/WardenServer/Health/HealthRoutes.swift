import Foundation
import Hummingbird
import Prometheus
import WardenCore

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus)
/// and `/openapi.yaml` (the contract this server implements). None needs a key.
struct HealthRoutes {
    let database: Database

    func add(to router: Router<WardenRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse(["status": "ok"])
        }
        router.get("readyz") { _, _ in
            do {
                try await database.read { try await $0.execute(database.statement("SELECT 1")) }
            } catch {
                throw APIError(.unavailable, "the database is not answering: \(error)")
            }
            return JSONResponse(["status": "ready"])
        }
        router.get("metrics") { _, _ in
            let text = PrometheusMetricsFactory.defaultRegistry.emitToBuffer()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text))
            )
        }
    }
}

/// The repository's `openapi.yaml`, bundled as a resource.
enum OpenAPIDocument {
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }()
}
