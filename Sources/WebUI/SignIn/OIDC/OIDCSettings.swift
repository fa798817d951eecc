import WardenCore

/// Single sign-on through an OpenID Connect provider (`--oidc-issuer`, `--oidc-client-id`,
/// `--oidc-client-secret`, `--oidc-role-claim`, `--oidc-role`).
public struct OIDCSettings: Sendable, Equatable {
    /// The provider's issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The ID token claim whose values decide a person's role (a string or a list of strings).
    public var roleClaim: String
    /// Claim values to roles, checked in order: the first value the person has gives their role.
    public var roles: [(value: String, role: Role)]
    /// The name on the sign-in button.
    public var displayName: String

    public init(
        issuer: String, clientID: String, clientSecret: String, roleClaim: String = "groups", roles: [(value: String, role: Role)],
        displayName: String = "single sign-on"
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.roleClaim = roleClaim
        self.roles = roles
        self.displayName = displayName
    }

    public static func == (left: OIDCSettings, right: OIDCSettings) -> Bool {
        left.issuer == right.issuer && left.clientID == right.clientID && left.clientSecret == right.clientSecret
            && left.roleClaim == right.roleClaim && left.roles.elementsEqual(right.roles) { $0.value == $1.value && $0.role == $1.role }
            && left.displayName == right.displayName
    }
}
