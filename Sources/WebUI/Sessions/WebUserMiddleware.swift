import Hummingbird
import HummingbirdAuth
import WardenCore

/// Reads who is signed in from the session and makes them the request's caller. A session whose API
/// key has since been revoked ends; a session cookie that names no live session (tampered with, or
/// expired) is cleared from the browser.
struct WebUserMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let keys: APIKeyStore
    let cookieName: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let staleCookie = request.cookies[cookieName] != nil && context.sessions.session == nil
        if let user = context.sessions.session?.user {
            context.caller = try await currentCaller(user)
            if context.caller == nil { context.sessions.clearSession() }
        }
        var response = try await next(request, context)
        if staleCookie, context.sessions.session == nil {
            response.headers[values: .setCookie].append(WebConfiguration.expiredCookie)
        }
        return response
    }

    /// The caller for a signed-in person; nil when the API key they signed in with is revoked or gone.
    private func currentCaller(_ user: WebUser) async throws -> APIKey? {
        guard case .apiKey(let id) = user.source else { return user.caller }
        do {
            let key = try await keys.get(id: id)
            return key.status == .active ? key : nil
        } catch let error as APIError where error.code == .notFound {
            return nil
        }
    }
}
