import Hummingbird

/// How the web UI signs people in and how long they stay signed in.
public struct WebConfiguration: Sendable {
    /// How long a sign-in lasts; the browser must sign in again after it.
    public var sessionLifetime: Duration
    /// Whether the session cookie is marked `Secure` (set when the server speaks TLS).
    public var secureCookies: Bool
    /// Single sign-on through an OpenID Connect provider; nil for API-key sign-in only.
    public var oidc: OIDCSettings?

    public init(sessionLifetime: Duration = .seconds(8 * 60 * 60), secureCookies: Bool = false, oidc: OIDCSettings? = nil) {
        self.sessionLifetime = sessionLifetime
        self.secureCookies = secureCookies
        self.oidc = oidc
    }

    /// The session cookie's name.
    static let cookieName = "warden_session"

    /// A `Set-Cookie` value that removes the session cookie from the browser.
    static let expiredCookie = Cookie(name: cookieName, value: "", maxAge: 0, path: "/").description
}
