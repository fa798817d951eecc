import Hummingbird
import HummingbirdAuth
import WardenCore

/// Single sign-on: `GET /ui/sign_in/oidc` sends the browser to the provider with a fresh state, nonce
/// and PKCE verifier kept in its session; `GET /ui/oidc/callback` takes the provider's answer, checks
/// it against that session, and signs the person in. A refusal shows the sign-in page saying why, and
/// signs no one in.
struct OIDCSignInRoutes: Sendable {
    let provider: OIDCProvider
    let signIn: SignInRoutes

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("sign_in/oidc") { request, context in
            try context.permit(.webOIDCSignIn)
            let returnTo = SignInRoutes.returnPath(of: request)
            if context.caller != nil { return Response.redirect(to: returnTo, type: .found) }
            let pending = PendingSignIn.start(redirectURI: redirectURI(request), returnTo: returnTo)
            do {
                let url = try await provider.authorizationURL(for: pending)
                if context.sessions.session == nil { context.sessions.createSession(WebSession()) }
                context.sessions.withLockedSession { $0?.pendingSignIn = pending }
                return Response.redirect(to: url, type: .found)
            } catch let error as APIError {
                return refusal(error, context: context, returnTo: returnTo)
            }
        }
        ui.get("oidc/callback") { request, context in
            try context.permit(.webOIDCCallback)
            let answer = request.uri.queryParameters
            let pending = context.sessions.session?.pendingSignIn
            context.sessions.withLockedSession { $0?.pendingSignIn = nil }
            do {
                // The provider's own refusal signs no one in, so it is shown whatever its state.
                if let error = answer["error"] {
                    let description = answer["error_description"].map { ": \($0)" } ?? ""
                    throw APIError(.unauthenticated, "the provider did not sign you in (\(error)\(description))", resolution: "Sign in again.")
                }
                guard let pending, let state = answer["state"], SessionToken.matches(String(state), pending.state) else {
                    throw APIError(
                        .unauthenticated, "this answer from the provider does not belong to a sign-in started in this browser (its state does not match)",
                        resolution: "Start the sign-in again from this page.")
                }
                guard let code = answer["code"], !code.isEmpty else {
                    throw APIError(.unauthenticated, "the provider's answer has no authorization code", resolution: "Sign in again.")
                }
                let user = try await provider.user(code: String(code), for: pending)
                try await signIn.begin(user, request: request, context: context)
                return Response.redirect(to: pending.returnTo, type: .found)
            } catch let error as APIError {
                return refusal(error, context: context, returnTo: pending?.returnTo ?? "/ui")
            }
        }
    }

    /// The sign-in page saying why single sign-on did not sign the person in, with the error's status.
    private func refusal(_ error: APIError, context: WebRequestContext, returnTo: String) -> Response {
        context.logger.notice("single sign-on refused", metadata: ["reason": .string(error.message)])
        return signIn.signInPage(
            context: context, returnTo: returnTo, error: "Single sign-on failed: \(error.message). \(error.resolution)",
            status: .init(code: error.code.httpStatus))
    }

    /// Where the provider sends the browser back: under `--public-url`, else the address this browser used.
    private func redirectURI(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return provider.settings.redirectURI(scheme: signIn.configuration.secureCookies ? "https" : "http", host: host)
    }
}
