import WardenCore

/// What the server keeps about one browser between requests. It is stored server-side
/// (`DatabaseSessionDriver`); the cookie carries only a random id.
public struct WebSession: Codable, Sendable {
    /// Who signed in; nil until someone has.
    public var user: WebUser?
    /// The token every form of this session must send back (`csrf_token`, or the `X-CSRF-Token` header).
    public var csrfToken: String
    /// A single sign-on sent to the provider and not yet back.
    public var pendingSignIn: PendingSignIn?

    public init(user: WebUser? = nil, pendingSignIn: PendingSignIn? = nil) {
        self.user = user
        self.csrfToken = SessionToken.random()
        self.pendingSignIn = pendingSignIn
    }
}

/// A signed-in person, and what they may do: the same role and email an API key carries.
public struct WebUser: Codable, Sendable, Equatable {
    /// How they signed in.
    public enum Source: Codable, Sendable, Equatable {
        /// With the API key of this id; the session ends when the key is revoked.
        case apiKey(id: String)
        /// Through the OpenID Connect provider `issuer`, as its user `subject`.
        case oidc(issuer: String, subject: String)
    }

    public var source: Source
    public var name: String
    public var email: String
    public var role: Role

    public init(source: Source, name: String, email: String, role: Role) {
        self.source = source
        self.name = name
        self.email = email
        self.role = role
    }

    /// The caller as the permission table and the stores see it: a key with this person's role and email.
    var caller: APIKey {
        let id = switch source {
        case .apiKey(let id): id
        case .oidc(_, let subject): "oidc:\(subject)"
        }
        return APIKey(id: id, name: name, role: role, email: email, status: .active, createdAt: .now, createdBy: "", lastAccessAt: nil)
    }
}

/// A single sign-on under way: what the callback must find to accept the provider's answer.
public struct PendingSignIn: Codable, Sendable {
    public var state: String
    public var nonce: String
    public var codeVerifier: String
    /// The redirect URI the provider was given; the code exchange must name the same one.
    public var redirectURI: String
    /// The page to show once signed in.
    public var returnTo: String

    public init(state: String, nonce: String, codeVerifier: String, redirectURI: String, returnTo: String) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
        self.returnTo = returnTo
    }

    /// A new sign-in with fresh random state, nonce and PKCE verifier.
    static func start(redirectURI: String, returnTo: String) -> PendingSignIn {
        PendingSignIn(
            state: SessionToken.random(), nonce: SessionToken.random(), codeVerifier: SessionToken.random(), redirectURI: redirectURI, returnTo: returnTo)
    }
}
