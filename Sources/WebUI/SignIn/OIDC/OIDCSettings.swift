import WardenCore

/// Single sign-on through an OpenID Connect provider (`--oidc-issuer`, `--oidc-client-id`,
/// `--oidc-client-secret`, `--oidc-role-claim`, `--oidc-role`, `--public-url`).
public struct OIDCSettings: Sendable, Equatable {
    /// The provider's issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The ID token claim whose values decide a person's role (a string or a list of strings); a name
    /// with dots that is not itself a claim reaches into objects (`realm_access.roles`).
    public var roleClaim: String
    /// Claim values to roles, checked in order: the first value the person has gives their role.
    public var roles: [(value: String, role: Role)]
    /// Warden's external base URL (`https://warden.example.com`), whose `/ui/oidc/callback` is the
    /// redirect URI registered at the provider; nil for the address the browser used to reach Warden.
    public var publicURL: String?
    /// The name on the sign-in button.
    public var displayName: String

    public init(
        issuer: String, clientID: String, clientSecret: String, roleClaim: String = "groups", roles: [(value: String, role: Role)],
        publicURL: String? = nil, displayName: String = "single sign-on"
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.roleClaim = roleClaim
        self.roles = roles
        self.publicURL = publicURL
        self.displayName = displayName
    }

    /// The path of the page the provider sends the browser back to.
    public static let callbackPath = "/ui/oidc/callback"

    /// The redirect URI for a browser that reached Warden at `host` over `scheme`.
    func redirectURI(scheme: String, host: String) -> String {
        (publicURL ?? "\(scheme)://\(host)") + Self.callbackPath
    }

    /// The role of a person whose role claim has `values`: that of the first mapping they match.
    func role(for values: [String]) -> Role? {
        roles.first { values.contains($0.value) }?.role
    }

    public static func == (left: OIDCSettings, right: OIDCSettings) -> Bool {
        left.issuer == right.issuer && left.clientID == right.clientID && left.clientSecret == right.clientSecret
            && left.roleClaim == right.roleClaim && left.roles.elementsEqual(right.roles) { $0.value == $1.value && $0.role == $1.role }
            && left.publicURL == right.publicURL && left.displayName == right.displayName
    }
}
