import ArgumentParser
import Foundation
import WardenCore
import WebUI

/// How the web UI signs people in: its sessions, and single sign-on through an OpenID Connect provider.
struct WebOptions: ParsableArguments {
    @Option(help: "How long a web sign-in lasts (e.g. 30m, 8h; at most 24h).")
    var sessionLifetime = DurationArgument(duration: WebConfiguration().sessionLifetime)

    @Option(help: ArgumentHelp(
        "The OpenID Connect provider's issuer URL, for single sign-on to the web UI.",
        discussion: "With --oidc-client-id, --oidc-client-secret and at least one --oidc-role."))
    var oidcIssuer: String?

    @Option(name: .customLong("oidc-client-id"), help: "Warden's client id at the provider.")
    var oidcClientID: String?

    @Option(help: "Warden's client secret at the provider (or WARDEN_OIDC_CLIENT_SECRET, which keeps it off the command line).")
    var oidcClientSecret: String?

    @Option(help: "The ID token claim whose values map to roles (a string or a list; dots reach into objects).")
    var oidcRoleClaim = "groups"

    @Option(help: ArgumentHelp(
        "VALUE=ROLE: a person whose role claim holds VALUE gets ROLE (admin, operator, reviewer or viewer); repeat for more.",
        discussion: "The first mapping a person matches, in the order given, decides their role; with none they cannot sign in."))
    var oidcRole: [String] = []

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "Warden's external base URL, e.g. https://warden.example.com; the provider's redirect URI is <public-url>/ui/oidc/callback.",
        discussion: "Without it, the address the browser used to reach Warden."))
    var publicURL: String?

    func validate() throws {
        _ = try configuration()
    }

    /// The web UI's configuration these options describe; names what is wrong when they do not fit together.
    func configuration() throws -> WebConfiguration {
        WebConfiguration(sessionLifetime: sessionLifetime.duration, oidc: try oidcSettings())
    }

    private func oidcSettings() throws -> OIDCSettings? {
        let secret = oidcClientSecret ?? ProcessInfo.processInfo.environment["WARDEN_OIDC_CLIENT_SECRET"]
        guard let oidcIssuer else {
            guard oidcClientID == nil, oidcClientSecret == nil, oidcRole.isEmpty else {
                throw ValidationError("--oidc-client-id, --oidc-client-secret and --oidc-role need --oidc-issuer")
            }
            return nil
        }
        guard Self.isWebURL(oidcIssuer) else { throw ValidationError("--oidc-issuer must be an http or https URL, got \(oidcIssuer)") }
        guard let oidcClientID, !oidcClientID.isEmpty else { throw ValidationError("--oidc-issuer needs --oidc-client-id") }
        guard let secret, !secret.isEmpty else {
            throw ValidationError("--oidc-issuer needs --oidc-client-secret (or WARDEN_OIDC_CLIENT_SECRET)")
        }
        guard !oidcRole.isEmpty else {
            throw ValidationError("--oidc-issuer needs at least one --oidc-role VALUE=ROLE, or no one could sign in through it")
        }
        if let publicURL, !Self.isWebURL(publicURL) {
            throw ValidationError("--public-url must be an http or https URL, got \(publicURL)")
        }
        return OIDCSettings(
            issuer: oidcIssuer, clientID: oidcClientID, clientSecret: secret, roleClaim: oidcRoleClaim, roles: try oidcRole.map(Self.roleMapping),
            publicURL: publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    /// `VALUE=ROLE`, split at the last `=` (a value such as an LDAP group's `cn=admins,ou=groups` has its own).
    static func roleMapping(_ argument: String) throws -> (value: String, role: Role) {
        let roles = Role.allCases.filter { $0 != .provisioner }.map(\.rawValue).joined(separator: ", ")
        guard let equals = argument.lastIndex(of: "="), equals != argument.startIndex else {
            throw ValidationError("--oidc-role takes VALUE=ROLE (ROLE one of \(roles)), got \(argument)")
        }
        let name = String(argument[argument.index(after: equals)...])
        guard let role = Role(rawValue: name), role != .provisioner else {
            throw ValidationError("--oidc-role \(argument): \(name.isEmpty ? "no role" : "\(name) is not a role"); ROLE is one of \(roles)")
        }
        return (String(argument[..<equals]), role)
    }

    private static func isWebURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else { return false }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }
}
