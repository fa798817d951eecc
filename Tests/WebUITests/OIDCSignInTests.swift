import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import Lifecycle
import NIOCore
import Testing
import WardenCore
import WardenServer
import WardenTestSupport
@testable import WebUI

/// Single sign-on against a real OpenID Connect provider (PyPI's `oidc-provider-mock`), driven as a
/// browser would: Warden's redirect to the provider, the provider's authorization form, the redirect
/// back to Warden's callback.
@Suite struct OIDCSignInTests {
    static let users: [[String: any Sendable]] = [
        ["sub": "alice", "email": "Alice@Example.com", "email_verified": true, "name": "Alice Admin", "groups": ["staff", "warden-admins"]],
        ["sub": "bob", "email": "Bob.Reviewer@Example.com", "email_verified": true, "groups": ["warden-reviewers"]],
        ["sub": "carol", "email": "carol@example.com", "email_verified": true, "groups": ["staff"]],
        ["sub": "dave", "email": "dave@example.com", "email_verified": false, "groups": ["warden-admins"]],
    ]

    static func settings(_ issuer: String) -> OIDCSettings {
        OIDCSettings(
            issuer: issuer, clientID: "warden-test", clientSecret: "s3cret", roles: [("warden-admins", .admin), ("warden-reviewers", .reviewer)])
    }

    @Test(arguments: TestDatabase.kinds)
    func mappedPeopleSignInWithTheirRoleAndEmail(kind: DatabaseKind) async throws {
        try await OIDCProviderMock.run(users: Self.users) { provider in
            try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0), web: WebConfiguration(oidc: Self.settings(provider.issuer))) { server in
                try await ProviderBrowser.with(server) { admin in
                    let landed = try await admin.signIn(as: "alice", returnTo: "/ui/reviews")
                    #expect(landed.status == .found)
                    #expect(landed.headers[.location] == "/ui/reviews")
                    let cookie = landed.headers[values: .setCookie].first { $0.hasPrefix("warden_session=") } ?? ""
                    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
                    let user = try #require(try await admin.signedInUser())
                    #expect(user == WebUser(source: .oidc(issuer: provider.issuer, subject: "alice"), name: "Alice Admin", email: "alice@example.com", role: .admin))
                    #expect(try await admin.browser.get("/ui").headers[.location] == "/ui/activity/action_events")
                }
                try await ProviderBrowser.with(server) { reviewer in
                    #expect(try await reviewer.signIn(as: "bob").headers[.location] == "/ui")
                    let user = try #require(try await reviewer.signedInUser())
                    #expect(user.role == .reviewer)
                    #expect(user.email == "bob.reviewer@example.com")
                    #expect(user.name == "bob.reviewer@example.com")
                    #expect(user.caller.email == "bob.reviewer@example.com")
                    #expect(try await reviewer.browser.get("/ui").headers[.location]?.hasPrefix("/ui/sign_in") == false)
                }
                try await ProviderBrowser.with(server) { unmapped in
                    let refused = try await unmapped.signIn(as: "carol")
                    #expect(refused.status == .forbidden)
                    #expect(refused.text.contains("id=\"sign-in-error\""))
                    #expect(refused.text.contains("carol@example.com signed in at the provider, but none of your groups (staff) is mapped to a Warden role"))
                    try await unmapped.expectSignedOut()
                }
                try await ProviderBrowser.with(server) { unverified in
                    let refused = try await unverified.signIn(as: "dave")
                    #expect(refused.status == .unauthorized)
                    #expect(refused.text.contains("has not verified your email address dave@example.com"))
                    try await unverified.expectSignedOut()
                }
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func anAnswerWithAnotherStateIsRefused(kind: DatabaseKind) async throws {
        try await OIDCProviderMock.run(users: Self.users) { provider in
            try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0), web: WebConfiguration(oidc: Self.settings(provider.issuer))) { server in
                try await ProviderBrowser.with(server) { person in
                    let authorization = try await person.start()
                    #expect(authorization.query("redirect_uri") == "http://localhost/ui/oidc/callback")
                    #expect(authorization.query("code_challenge_method") == "S256")
                    #expect(authorization.query("scope") == "openid email profile")
                    let callback = try await person.authorize(authorization, as: "alice")
                    let forged = callback.replacingOccurrences(of: "state=\(authorization.query("state") ?? "")", with: "state=forged")
                    let refused = try await person.browser.get(forged)
                    #expect(refused.status == .unauthorized)
                    #expect(refused.text.contains("its state does not match"))
                    try await person.expectSignedOut()
                    // The sign-in it belonged to is over: its own answer is refused now too.
                    #expect(try await person.browser.get(callback).status == .unauthorized)
                    try await person.expectSignedOut()
                }
            }
        }
    }

    @Test func theProvidersRefusalIsShown() async throws {
        try await OIDCProviderMock.run(users: Self.users) { provider in
            try await TestServer.run(runner: RunnerSettings(concurrency: 0), web: WebConfiguration(oidc: Self.settings(provider.issuer))) { server in
                try await ProviderBrowser.with(server) { person in
                    let callback = try await person.authorize(try await person.start(), form: [("action", "deny")])
                    let refused = try await person.browser.get(callback)
                    #expect(refused.status == .unauthorized)
                    #expect(refused.text.contains("the provider did not sign you in (access_denied"))
                    try await person.expectSignedOut()
                }
            }
        }
    }

    @Test func aProviderThatCannotBeReachedIsNamed() async throws {
        let settings = Self.settings("http://127.0.0.1:9")
        try await TestServer.run(runner: RunnerSettings(concurrency: 0), web: WebConfiguration(oidc: settings)) { server in
            let page = try await WebBrowser(server).get("/ui/sign_in/oidc?return_to=/ui")
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("the sign-in provider http://127.0.0.1:9 cannot be used: it could not be reached for discovery"))
        }
    }

    @Test func theSessionCookieIsHttpOnlyLaxAndSecureUnderTLS() async throws {
        #expect(ServerConfiguration(tlsCertificatePath: "cert.pem", tlsKeyPath: "key.pem").web.secureCookies)
        #expect(!ServerConfiguration().web.secureCookies)
        try await TestServer.run(runner: RunnerSettings(concurrency: 0)) { server in
            let page = try await WebBrowser(server).get("/ui/sign_in")
            let cookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("warden_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            #expect(!page.text.contains("sign-in-oidc"))
        }
    }
}

/// A browser that signs in to Warden through the provider: Warden's pages through the test server,
/// the provider's through a real HTTP client that does not follow redirects.
struct ProviderBrowser {
    let browser: WebBrowser
    let http: HTTPClient

    static func with(_ server: TestServer, _ body: (ProviderBrowser) async throws -> Void) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            try await body(ProviderBrowser(browser: WebBrowser(server), http: http))
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// The sign-in page's "Sign in with …" link followed: the provider's authorization URL Warden redirects to.
    func start(returnTo: String = "/ui") async throws -> URLComponents {
        let signInPage = try await browser.get("/ui/sign_in?return_to=\(returnTo)")
        #expect(signInPage.text.contains("id=\"sign-in-oidc\" href=\"/ui/sign_in/oidc?return_to=\(FormFields.encode(returnTo))\""))
        let redirect = try await browser.get("/ui/sign_in/oidc?return_to=\(returnTo)")
        #expect(redirect.status == .found, "\(redirect.text)")
        return try #require(URLComponents(string: redirect.headers[.location] ?? ""))
    }

    /// The provider's authorization form sent as `sub` (the button of that predefined user); the
    /// path and query of the callback the provider redirects back to.
    func authorize(_ authorization: URLComponents, as sub: String) async throws -> String {
        let page = try await http.execute(HTTPClientRequest(url: authorization.string ?? ""), timeout: .seconds(10))
        let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
        #expect(html.contains("name=\"sub\" value=\"\(sub)\""), "the provider's page offers \(sub)")
        return try await authorize(authorization, form: [("sub", sub)])
    }

    /// The provider's authorization form posted with `form`; the path and query of the callback.
    func authorize(_ authorization: URLComponents, form: [(String, String)]) async throws -> String {
        var request = HTTPClientRequest(url: authorization.string ?? "")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormFields.encode(form)))
        let answer = try await http.execute(request, timeout: .seconds(10))
        #expect(answer.status == .found)
        let callback = try #require(URLComponents(string: answer.headers.first(name: "Location") ?? ""))
        return callback.percentEncodedPath + "?" + (callback.percentEncodedQuery ?? "")
    }

    /// The whole sign-in as `sub`; Warden's answer to the callback.
    func signIn(as sub: String, returnTo: String = "/ui") async throws -> TestResponse {
        try await browser.get(try await authorize(try await start(returnTo: returnTo), as: sub))
    }

    /// Who the browser's session says is signed in, read from the session store.
    func signedInUser() async throws -> WebUser? {
        guard let cookie = browser.sessionCookie else { return nil }
        return try await DatabaseSessionDriver(database: browser.server.database).get(key: cookie, as: WebSession.self)?.user
    }

    func expectSignedOut(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await signedInUser() == nil, sourceLocation: sourceLocation)
        #expect(try await browser.get("/ui").headers[.location]?.hasPrefix("/ui/sign_in") == true, sourceLocation: sourceLocation)
    }
}

extension URLComponents {
    /// The first value of the query parameter `name`.
    func query(_ name: String) -> String? {
        queryItems?.first { $0.name == name }?.value
    }
}
