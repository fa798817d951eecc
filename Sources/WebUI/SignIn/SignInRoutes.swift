import Hummingbird
import HummingbirdAuth
import WardenCore

/// Signing in with an API key (any role's but a provisioner's), signing out, and the home page that sends each role to its first section.
struct SignInRoutes: Sendable {
    let keys: APIKeyStore
    let renderer: PageRenderer
    let sessions: SessionStorage<WebSession>
    let configuration: WebConfiguration

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("sign_in") { request, context in
            try context.permit(.webSignInPage)
            let returnTo = Self.returnPath(of: request)
            if context.caller != nil { return Response.redirect(to: returnTo, type: .found) }
            return signInPage(context: context, returnTo: returnTo)
        }
        ui.post("sign_in") { request, context in
            try context.permit(.webSignIn)
            let fields = try await request.formFields(context: context)
            let returnTo = Self.returnPath(fields["return_to"])
            let presented = (fields["api_key"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !presented.isEmpty, let key = try await keys.authenticate(presented) else {
                return signInPage(context: context, returnTo: returnTo, error: "That API key is unknown or revoked.", status: .unauthorized)
            }
            guard key.role != .provisioner else {
                return signInPage(
                    context: context, returnTo: returnTo, error: "A provisioner's key only pushes identities to /scim/v2; it cannot sign in here.", status: .forbidden)
            }
            try await begin(WebUser(source: .apiKey(id: key.id), name: key.name, email: key.email, role: key.role), request: request, context: context)
            return Response.redirect(to: returnTo, type: .normal)
        }
        ui.post("sign_out") { _, context in
            try context.require(.webSignOut)
            context.sessions.clearSession()
            return Response.redirect(to: "/ui/sign_in", type: .normal)
        }
        ui.get("") { _, context in
            let caller = try context.require(.webHome)
            let first = Chrome.sections.first { $0.operation.permission.allows(caller.role) }
            return Response.redirect(to: first?.path ?? "/ui/sign_in", type: .found)
        }
    }

    func signInPage(context: WebRequestContext, returnTo: String, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var data: [String: Any] = ["return_to": returnTo, "return_to_query": FormFields.encode(returnTo)]
        if let error { data["error"] = error }
        if let oidc = configuration.oidc { data["oidc"] = oidc.displayName }
        return renderer.page("sign_in", title: "Sign in", chrome: Chrome(context: context, current: ""), data, status: status)
    }

    /// Starts a signed-in session for `user` under a new id (the id used before signing in is dropped,
    /// so it cannot be planted beforehand).
    func begin(_ user: WebUser, request: Request, context: WebRequestContext) async throws {
        if context.sessions.session != nil { _ = try? await sessions.delete(request: request) }
        context.sessions.createSession(WebSession(user: user), expiresIn: configuration.sessionLifetime)
    }

    /// Where to go after signing in, from the request's `return_to` query parameter.
    static func returnPath(of request: Request) -> String {
        returnPath(request.uri.queryParameters["return_to"].map(String.init))
    }

    /// Where to go after signing in: a Warden page, never another site.
    static func returnPath(_ requested: String?) -> String {
        guard let requested, requested.hasPrefix("/ui"), !requested.contains("//"), !requested.contains("\\") else { return "/ui" }
        return requested
    }
}
