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
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)))
            do {
                let ceiling = try await measure(client, "http://127.0.0.1:\(port)/healthz", key: nil)
                let authenticated = try await measure(client, "http://127.0.0.1:\(port)/api/v1/providers/custom/templates", key: key.accessKey)
                print("benchmark                                   p50 µs    p99 µs   mean µs     req/s  ratio to ceiling")
                print(row("GET /healthz (no auth, ceiling)", ceiling, ceiling))
                print(row("GET templates (authenticated no-op)", authenticated, ceiling))
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
        await database.close()
    }

    private struct Sample {
        var latencies: [Double]
        var mean: Double { latencies.reduce(0, +) / Double(latencies.count) }
        func percentile(_ p: Double) -> Double { latencies.sorted()[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    }

    private func measure(_ client: HTTPClient, _ url: String, key: String?) async throws -> Sample {
        var request = HTTPClientRequest(url: url)
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        var latencies: [Double] = []
        latencies.reserveCapacity(requests)
        let clock = ContinuousClock()
        for index in 0..<(requests + requests / 10) {
            let start = clock.now
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw ValidationError("\(url) answered \(response.status)") }
            let elapsed = clock.now - start
            if index >= requests / 10 {
                latencies.append(elapsed.inSeconds * 1e6)
            }
        }
        return Sample(latencies: latencies)
    }

    private func row(_ name: String, _ sample: Sample, _ ceiling: Sample) -> String {
        name.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "%9.1f %9.1f %9.1f %9.0f  %6.2f×", sample.percentile(0.5), sample.percentile(0.99), sample.mean, 1e6 / sample.mean, sample.mean / ceiling.mean)
    }
}
