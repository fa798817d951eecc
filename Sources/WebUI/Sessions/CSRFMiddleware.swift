import HTTPTypes
import Hummingbird
import HummingbirdAuth
import WardenCore

/// Refuses every form post that does not carry its session's CSRF token, in the `csrf_token` field or
/// the `X-CSRF-Token` header. The body is read here once, so handlers read it from memory.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let presented = request.headers[.csrfToken] ?? FormFields(String(buffer: body))["csrf_token"]
        guard let expected = context.sessions.session?.csrfToken, let presented, SessionToken.matches(presented, expected) else {
            throw APIError(
                .permissionDenied, "this form was sent without its security token, or with one from an ended session",
                resolution: "Reload the page and send the form again.")
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// The header scripts send a page's CSRF token in.
    static let csrfToken = Self("X-CSRF-Token")!
}

extension Request {
    /// The form fields of a posted body (already read into memory by `CSRFMiddleware`).
    func formFields(context: WebRequestContext) async throws -> FormFields {
        FormFields(String(buffer: try await body.collect(upTo: context.maxUploadSize)))
    }
}
