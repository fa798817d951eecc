import Foundation
import Hummingbird
import HummingbirdAuth
import Lifecycle
import WardenCore

/// The web UI: server-rendered pages under `/ui` for operators and reviewers, signed in by API key or
/// OpenID Connect. Pages read and change data through the same stores and the same permission table
/// as the API, so a browser shows a person exactly what the API would show their key.
public struct WebUI: Sendable {
    /// The schema the web UI adds: its sessions.
    public static let migrations = DatabaseSessionDriver.migrations

    let database: Database
    let keys: APIKeyStore
    let configuration: WebConfiguration
    let renderer: PageRenderer
    let assets: StaticAssets

    /// Loads the templates and static files; fails at start if one is missing or does not parse.
    public init(database: Database, keys: APIKeyStore, configuration: WebConfiguration) async throws {
        self.database = database
        self.keys = keys
        self.configuration = configuration
        self.renderer = try await PageRenderer()
        self.assets = try StaticAssets()
    }

    /// Adds every page and form under `/ui`.
    public func addRoutes(
        to router: Router<WardenRequestContext>, signer: PageTokenSigner, exports: ExportJobs, lifecycle: LifecycleEngine
    ) {
        let sessionStorage = SessionStorage<WebSession>(
            DatabaseSessionDriver(database: database),
            configuration: .init(
                sessionCookieParameters: .init(name: WebConfiguration.cookieName, path: "/", secure: configuration.secureCookies, sameSite: .lax),
                keyPrefix: ""))
        let ui = router.group("ui", context: WebRequestContext.self)
            .add(middleware: WebPageMiddleware(renderer: renderer))
        assets.add(to: ui)
        let pages = ui
            .add(middleware: SessionMiddleware(sessionStorage: sessionStorage, defaultSessionExpiration: configuration.sessionLifetime))
            .add(middleware: WebUserMiddleware(keys: keys, cookieName: WebConfiguration.cookieName))
            .add(middleware: CSRFMiddleware())
        let signIn = SignInRoutes(keys: keys, renderer: renderer, sessions: sessionStorage, configuration: configuration)
        signIn.add(to: pages)
        if let oidc = configuration.oidc { OIDCSignInRoutes(provider: OIDCProvider(settings: oidc), signIn: signIn).add(to: pages) }
        ActivityPages(renderer: renderer, database: database, signer: signer, exports: exports, lifecycle: lifecycle).add(to: pages)
        PolicyPages(renderer: renderer, database: database, lifecycle: lifecycle).add(to: pages)
        FilterCheckRoutes().add(to: pages)
        ReviewRoutes(database: database, signer: signer, renderer: renderer).add(to: pages)
        ReviewSmartActionRoutes(database: database, renderer: renderer).add(to: pages)
        SmartActionDefinitionPageRoutes(database: database, signer: signer, renderer: renderer).add(to: pages)
    }
}
