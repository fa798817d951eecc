import Foundation
import Lifecycle
import Logging
import ServiceLifecycle
import WardenCore
import WardenServer

/// Runs a Warden server over `database` (exports under `folder`, no lifecycle runner) on a free
/// loopback port for as long as `body` runs, then stops it gracefully.
func withInProcessServer(database: Database, folder: URL, logger: Logger, _ body: @escaping @Sendable (_ port: Int) async throws -> Void) async throws {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = try await WardenServer.application(
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0), database: database,
        exports: ExportJobs(database: database, directory: folder.appendingPathComponent("exports"), logger: logger),
        lifecycle: LifecycleEngine(
            database: database, connectors: ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "bench").ring),
            settings: RunnerSettings(concurrency: 0), logger: logger),
        logger: logger,
        onServerRunning: { portContinuation.yield($0) }
    )
    let group = ServiceGroup(services: [app], logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var port = 0
        for await value in ports { port = value; break }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
