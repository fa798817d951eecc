import AccessReviews
import ActivityLog
import ArgumentParser
import Foundation
import Lifecycle
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import WardenCore
import WardenServer
import WebUI

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Warden server.")

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var secretKey: SecretKeyOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "PEM certificate chain; with --tls-key, serve HTTPS.")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "How many exports may run at once, streamed ones and export jobs alike; one more gets a 429 with Retry-After.")
    var maxConcurrentExports: Int = ExportJobs.defaultMaxConcurrent

    @Option(help: "Lifecycle workflow tasks this process runs at once; 0 runs none (an instance that only serves the API).")
    var runnerConcurrency: Int = RunnerSettings().concurrency

    @Option(help: "The wait before an action's second attempt after a transient failure; each later attempt waits twice as long (at most 5 minutes), with jitter.")
    var retryBackoff = DurationArgument(duration: RunnerSettings().backoffBase)

    @OptionGroup(title: "Web UI") var web: WebOptions

    @Flag(help: "Seed a demo activity log (about 10,000 action events) when it is empty, and a demo access review (1,000 rows) when there is none.")
    var demo = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if runnerConcurrency < 0 {
            throw ValidationError("--runner-concurrency must be 0 or more, got \(runnerConcurrency)")
        }
        if maxConcurrentExports < 1 {
            throw ValidationError("--max-concurrent-exports must be at least 1, got \(maxConcurrentExports)")
        }
    }

    func run() async throws {
        let logger = database.logger("warden")
        MetricsSystem.bootstrap(PrometheusMetricsFactory())
        let secretKeys = try secretKey.keys(dataDirectory: database.dataDir, createIfMissing: true, logger: logger)
        let db = try await database.open(logger: logger)
        let initialKey = try await APIKeyStore(database: db).createInitialAdminKey()
        if demo {
            let seeded = try await ActivityLogDemo(database: db).seedIfEmpty(actionEvents: 10_000)
            if seeded.rows > 0 { logger.notice("seeded a demo activity log of \(seeded.actionEvents) action events, \(seeded.tasks) workflow tasks, \(seeded.jobs) jobs and \(seeded.events) lifecycle events") }
            if let review = try await AccessReviewsDemo(database: db).seedIfEmpty(results: 1_000) {
                logger.notice("seeded a demo access review: certification \(review.certificationID) with \(review.rows) rows")
            }
        }
        let configuration = ServerConfiguration(host: host, port: port, tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey, web: try web.configuration())
        let exports = ExportJobs(
            database: db, directory: URL(fileURLWithPath: database.dataDir).appendingPathComponent("exports"),
            maxConcurrent: maxConcurrentExports, logger: logger
        )
        let lifecycle = LifecycleEngine(
            database: db, connectors: ConnectorStore(database: db, keys: secretKeys),
            settings: RunnerSettings(concurrency: runnerConcurrency, backoffBase: retryBackoff.duration), logger: logger)
        let app = try await WardenServer.application(
            configuration: configuration, database: db, exports: exports, lifecycle: lifecycle, logger: logger
        ) { port in
            var banner = "Warden is listening on \(configuration.scheme)://\(configuration.host):\(port) (database: \(db.configuration.redacted))\n"
            if let oidc = configuration.web.oidc {
                let redirect = oidc.publicURL.map { $0 + OIDCSettings.callbackPath } ?? "<the address browsers use>\(OIDCSettings.callbackPath)"
                banner += "Single sign-on through \(oidc.issuer) as client \(oidc.clientID); its redirect URI: \(redirect)\n"
            }
            if let initialKey {
                banner += "Initial admin API key, shown only this once:\n\(initialKey.accessKey)\n"
            }
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        // The server is the first service and the canceller the last, so on SIGTERM or SIGINT the
        // canceller stops the running statements first, then the server finishes its requests.
        let services = ServiceGroup(
            services: [app, StatementCanceller(database: db)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await services.run()
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
