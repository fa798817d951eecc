import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird router served on a free port of 127.0.0.1 while `body` runs: the peers that
/// benchmarks and tests send lifecycle actions to.
public enum LoopbackServer {
    /// Serves `router`, runs `body` with the server's base URL (`http://127.0.0.1:PORT`), then stops it.
    public static func serve<T: Sendable, Context: RequestContext>(
        _ router: Router<Context>, logger: Logger, _ body: @escaping @Sendable (String) async throws -> T
    ) async throws -> T where Context.Source == ApplicationRequestContextSource {
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { port.yield($0.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var listening = 0
            for await value in ports {
                listening = value
                break
            }
            do {
                let result = try await body("http://127.0.0.1:\(listening)")
                await group.triggerGracefulShutdown()
                for try await _ in tasks {}
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}
