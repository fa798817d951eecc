import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import AccessReviews
import ActivityLog
import Lifecycle
import Logging
import NIOSSL
import ServiceLifecycle
import WardenCore
import WebUI

/// Builds the Warden HTTP application over an opened, migrated database.
public enum WardenServer {
    /// Every feature's schema, in order: what `serve` and `migrate` apply.
    public static let migrations = Database.coreMigrations + ExportJobs.migrations + APIKey.migrations + ActivityLog.migrations + AccessReviews.migrations + Lifecycle.migrations + WebUI.migrations

    /// The router with every route and middleware; exposed for tests. Export jobs a previous run left
    /// unfinished are marked FAILED first, before any new one can start, and so are identity imports
    /// a stopped server left unapplied; the connectors are loaded (failing, naming the connector,
    /// when a secret does not decrypt under the keys given).
    public static func router(
        database: Database, keys: APIKeyStore, exports: ExportJobs, lifecycle: LifecycleEngine, web: WebConfiguration = WebConfiguration()
    ) async throws -> Router<WardenRequestContext> {
        let signer = try await database.pageTokenSigner()
        try await exports.recoverInterrupted()
        try await lifecycle.connectors.load()
        try await lifecycle.recoverInterruptedImports()
        let router = Router(context: WardenRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: CancelOnDisconnectMiddleware())
        HealthRoutes(database: database).add(to: router)
        let api = router.group("api").add(middleware: AuthMiddleware(keys: keys))
        KeyRoutes(keys: keys, signer: signer).add(to: api)
        ProviderTemplateRoutes().add(to: api)
        ExportRoutes(
            exports: exports, path: "private/lifecycle_management/exports", kinds: ActivityLog.exportKinds, operations: (.getExport, .downloadExport)
        ).add(to: api)
        ActivityLog.addRoutes(to: api, database: database, signer: signer, exports: exports, queue: lifecycle.taskQueue)
        AccessReviews.addRoutes(to: api, database: database, signer: signer, exports: exports)
        lifecycle.addRoutes(to: api, signer: signer)
        lifecycle.addSCIMRoutes(to: router.group("scim/v2").add(middleware: AuthMiddleware(keys: keys)))
        try await WebUI(database: database, keys: keys, configuration: web).addRoutes(to: router, signer: signer, exports: exports, lifecycle: lifecycle)
        return router
    }

    /// The application: HTTP or HTTPS per `configuration`, running `exports` and sweeping them at
    /// start and every `configuration.exportSweepInterval`, running the lifecycle runner (unless its
    /// concurrency is 0), stopping gracefully on SIGTERM/SIGINT (in-flight requests finish first).
    public static func application(
        configuration: ServerConfiguration,
        database: Database,
        exports: ExportJobs,
        lifecycle: LifecycleEngine,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let keys = APIKeyStore(database: database)
        let router = try await router(database: database, keys: keys, exports: exports, lifecycle: lifecycle, web: configuration.web)
        // Request lines and headers may be long (a filter can be 8 KiB, and a longer one must reach the
        // validator to get its 400), so the parser's limits sit well above that.
        let http1 = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [ClientDisconnectHandler()],
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 2 * 1024 * 1024, maxHeaderListSize: 2 * 1024 * 1024)
        ))
        let server: HTTPServerBuilder
        if let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            server = try .tls(http1, tlsConfiguration: tls)
        } else {
            server = http1
        }
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "warden"),
            services: [ExportHousekeeping(exports: exports, interval: configuration.exportSweepInterval, logger: logger)]
                + (lifecycle.settings.concurrency > 0 ? [lifecycle.runner()] : []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}
