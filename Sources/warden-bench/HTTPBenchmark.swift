import ArgumentParser
import AsyncHTTPClient
import Foundation
import Lifecycle
import Logging
import NIOCore
import ServiceLifecycle
import WardenCore
import WardenServer

/// The HTTP round trip of an authenticated no-op request, against the unauthenticated `/healthz`
/// as the HTTP stack's own ceiling, over one keep-alive connection.
struct HTTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http", abstract: "Authenticated no-op round trip.")

    @Option(help: "Requests per measurement.")
    var requests: Int = 5_000

    func run() async throws {
        var logger = Logger(label: "warden-bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Database.open(.sqlite(path: folder.appendingPathComponent("warden.sqlite").path), logger: logger)
        try await database.migrate(WardenServer.migrations)
        let key = try await APIKeyStore(database: database).create(name: "bench", role: .viewer, createdBy: "bench")
        try await withInProcessServer(database: database, folder: folder, logger: logger) { port in
            try await withOneConnectionClient { client in
                let ceiling = try await RoundTrips.measure(client, "http://127.0.0.1:\(port)/healthz", requests: requests)
                let authenticated = try await RoundTrips.measure(
                    client, "http://127.0.0.1:\(port)/api/v1/providers/custom/templates", headers: ["Authorization": "Bearer \(key.accessKey)"], requests: requests)
                print("benchmark                                   p50 µs    p99 µs   mean µs     req/s  ratio to ceiling")
                print(row("GET /healthz (no auth, ceiling)", ceiling, ceiling))
                print(row("GET templates (authenticated no-op)", authenticated, ceiling))
            }
        }
        await database.close()
    }

    private func row(_ name: String, _ sample: RoundTrips, _ ceiling: RoundTrips) -> String {
        name.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "%9.1f %9.1f %9.1f %9.0f  %6.2f×", sample.percentile(0.5), sample.percentile(0.99), sample.mean, 1e6 / sample.mean, sample.mean / ceiling.mean)
    }
}
