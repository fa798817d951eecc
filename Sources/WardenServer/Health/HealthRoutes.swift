import Foundation
import Hummingbird
import Prometheus
import WardenCore

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus)
/// and `/openapi.yaml` (the contract this server implements). None needs a key, so `/readyz`
/// answers only ready or not ready; why not goes to the log.
struct HealthRoutes {
    let database: Database

    func add(to router: Router<WardenRequestContext>) {
        router.get("healthz") { _, context in
            try context.permit(.healthz)
            return JSONResponse(["status": "ok"])
        }
        router.get("readyz") { _, context in
            try context.permit(.readyz)
            do {
                try await database.ping(within: .seconds(5))
            } catch {
                context.logger.error(
                    "not ready: the database is not answering", metadata: ["database": "\(database.configuration.redacted)", "error": "\(error)"])
                throw APIError(.unavailable, "not ready", resolution: "The server's log says why.")
            }
            return JSONResponse(["status": "ready"])
        }
        router.get("metrics") { _, context in
            try context.permit(.metrics)
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
