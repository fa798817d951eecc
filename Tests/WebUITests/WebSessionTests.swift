import Foundation
import Hummingbird
import HummingbirdTesting
import Lifecycle
import Testing
import WardenCore
import WardenTestSupport
import WebUI

/// Signing in and out with an API key, and what keeps a session safe: its cookie's attributes, CSRF
/// tokens on forms, and the end of a session that was tampered with, has expired, or whose key was revoked.
@Suite struct WebSessionTests {
    static let quiet = RunnerSettings(concurrency: 0)

    @Test(arguments: TestDatabase.kinds)
    func signingInWithAKeyStartsASessionUnderANewIDAndSigningOutEndsIt(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: Self.quiet) { server in
            let browser = WebBrowser(server)
            let page = try await browser.get("/ui/sign_in")
            #expect(page.status == .ok)
            let anonymous = try #require(browser.sessionCookie)
            let cookie = try #require(page.headers[values: .setCookie].first)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))

            let signedIn = try await browser.post("/ui/sign_in", ["api_key": server.adminKey, "return_to": "/ui/activity/events"])
            #expect(signedIn.status == .seeOther && signedIn.location == "/ui/activity/events")
            let session = try #require(browser.sessionCookie)
            #expect(session != anonymous, "signing in must not keep the id the browser had before")
            #expect(try await browser.get("/ui/activity/events").status == .ok)

            let out = try await browser.post("/ui/sign_out")
            #expect(out.status == .seeOther && out.location == "/ui/sign_in")
            #expect(browser.sessionCookie == nil)
            browser.sessionCookie = session
            let replayed = try await browser.get("/ui/activity/events")
            #expect(replayed.status == .found && replayed.location?.hasPrefix("/ui/sign_in") == true, "a signed-out session's cookie still works")
        }
    }

    @Test func aWrongKeyIsRefusedOnTheSignInPage() async throws {
        try await TestServer.run(runner: Self.quiet) { server in
            let browser = WebBrowser(server)
            _ = try await browser.get("/ui/sign_in")
            let response = try await browser.post("/ui/sign_in", ["api_key": "wdn_not_a_key"])
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("That API key is unknown or revoked."))
            #expect(try await browser.get("/ui/activity/events").status == .found)
        }
    }

    @Test func theSignInPageSendsOnlyToWardenPagesAfterwards() async throws {
        try await TestServer.run(runner: Self.quiet) { server in
            let browser = WebBrowser(server)
            _ = try await browser.get("/ui/sign_in")
            let response = try await browser.post("/ui/sign_in", ["api_key": server.adminKey, "return_to": "https://evil.example/ui"])
            #expect(response.location == "/ui")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aFormPostedWithoutItsCSRFTokenIsRefused(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: Self.quiet) { server in
            let browser = try await WebBrowser.signedIn(server, key: server.adminKey)
            let missing = try await browser.post("/ui/sign_out", csrf: false)
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("security token"))
            let wrong = try await browser.post("/ui/sign_out", ["csrf_token": "forged"], csrf: false)
            #expect(wrong.status == .forbidden)
            #expect(try await browser.get("/ui/activity/events").status == .ok, "a refused form must not have signed the browser out")

            let other = try await WebBrowser.signedIn(server, key: server.adminKey)
            let foreign = try await browser.post("/ui/sign_out", ["csrf_token": try #require(other.csrfToken)], csrf: false)
            #expect(foreign.status == .forbidden, "another session's token must not do")
        }
    }

    @Test func aTamperedSessionCookieSignsOut() async throws {
        try await TestServer.run(runner: Self.quiet) { server in
            let browser = try await WebBrowser.signedIn(server, key: server.adminKey)
            let session = try #require(browser.sessionCookie)
            browser.sessionCookie = String(session.dropLast(2)) + (session.hasSuffix("A=") ? "B=" : "A=")
            let response = try await browser.get("/ui/activity/events")
            #expect(response.status == .found && response.location == "/ui/sign_in?return_to=%2Fui%2Factivity%2Fevents")
            #expect(browser.sessionCookie == nil, "the tampered cookie must be cleared")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func anExpiredSessionSignsOut(kind: DatabaseKind) async throws {
        let lifetime = Duration.seconds(5)
        try await TestServer.run(kind, runner: Self.quiet, web: WebConfiguration(sessionLifetime: lifetime)) { server in
            // The sign-in form's own session lasts `lifetime` too: on a loaded machine the form can
            // expire before it is posted, which is this test's point, so sign in again until it is not.
            var signingIn = ContinuousClock.now
            var browser = WebBrowser(server)
            var accepted = false
            for _ in 0..<5 where !accepted {
                signingIn = ContinuousClock.now
                browser = WebBrowser(server)
                _ = try await browser.get("/ui/sign_in")
                let response = try await browser.post("/ui/sign_in", ["api_key": server.adminKey])
                accepted = response.status == .seeOther
                #expect(accepted || ContinuousClock.now - signingIn >= lifetime, "signing in answered \(response.status) within the lifetime")
            }
            try #require(accepted, "no sign-in finished within the session lifetime")
            let signedIn = ContinuousClock.now
            let live = try await browser.get("/ui/activity/events")
            if ContinuousClock.now - signingIn < lifetime {
                #expect(live.status == .ok, "the session ended before its lifetime")
            }
            try await Task.sleep(until: signedIn + lifetime + .milliseconds(300))
            let response = try await browser.get("/ui/activity/events")
            #expect(response.status == .found && response.location?.hasPrefix("/ui/sign_in") == true)
            #expect(browser.sessionCookie == nil)
        }
    }

    @Test func revokingTheKeyEndsItsSessions() async throws {
        try await TestServer.run(runner: Self.quiet) { server in
            let operatorKey = try await server.keys.create(name: "ops", role: .operator, createdBy: "test")
            let browser = try await WebBrowser.signedIn(server, key: operatorKey.accessKey)
            #expect(try await browser.get("/ui/activity/events").status == .ok)
            _ = try await server.keys.revoke(id: operatorKey.id)
            let response = try await browser.get("/ui/activity/events")
            #expect(response.status == .found && response.location?.hasPrefix("/ui/sign_in") == true)
        }
    }

    @Test func pagesCarryHeadersThatKeepThemFromBeingFramedOrCached() async throws {
        try await TestServer.run(runner: Self.quiet) { server in
            let page = try await WebBrowser(server).get("/ui/sign_in")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(page.headers[values: .init("X-Frame-Options")!] == ["DENY"])
            #expect(page.headers[.cacheControl] == "no-store")
            let css = try await WebBrowser(server).get("/ui/static/warden.css")
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true)
        }
    }
}
