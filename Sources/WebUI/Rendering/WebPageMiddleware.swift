import HTTPTypes
import Hummingbird
import WardenCore

/// Turns errors into pages (a request that needs a sign-in goes to the sign-in page, and comes back
/// after it; a session cookie it carried, which named no signed-in session, is cleared), and sets the headers that keep pages from being framed, sniffed or cached.
struct WebPageMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError(describing: error, request: request)
            if apiError.code == .unauthenticated, request.method == .get {
                response = .redirect(to: "/ui/sign_in?return_to=\(FormFields.encode(request.uri.description))", type: .found)
                if request.cookies[WebConfiguration.cookieName] != nil {
                    response.headers[values: .setCookie].append(WebConfiguration.expiredCookie)
                }
            } else {
                if apiError.code.httpStatus >= 500, !(error is CancellationError) {
                    context.logger.error("page failed", metadata: ["error": .string(String(reflecting: error))])
                }
                response = renderer.html("error", [
                    "title": Self.heading(apiError), "message": apiError.message, "resolution": apiError.resolution, "code": apiError.code.name,
                    "request_id": context.requestID,
                ], status: .init(code: apiError.code.httpStatus))
            }
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private static func heading(_ error: APIError) -> String {
        switch error.code {
        case .permissionDenied: "Not allowed"
        case .notFound: "Not found"
        case .invalidArgument, .failedPrecondition, .outOfRange: "Cannot do that"
        default: "Something went wrong"
        }
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
