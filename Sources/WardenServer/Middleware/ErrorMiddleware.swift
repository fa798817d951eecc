import Foundation
import Hummingbird
import Lifecycle
import Logging
import NIOCore
import SCIMFilter
import WardenCore

/// Turns every error, including unknown routes and oversized bodies, into the Veza error envelope
/// (under `/scim/v2`, SCIM's error body), writes the request id header on every response, and logs
/// each request once.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError(describing: error, request: request)
            let scimError = request.uri.path.hasPrefix(SCIMError.pathPrefix) ? SCIMError(describing: error, request: request) : nil
            if (scimError?.status ?? apiError.code.httpStatus) >= 500, !(error is CancellationError) {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            }
            response = scimError?.response ?? Self.response(for: apiError, requestID: context.requestID)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["duration_ms": .string(String(format: "%.3f", elapsed.inSeconds * 1000))]
        )
        return response
    }

    static func response(for error: APIError, requestID: String) -> Response {
        let envelope = ErrorEnvelope(error, requestID: requestID, at: .now)
        let body = (try? WireJSON.encoder().encode(envelope)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if error.code == .resourceExhausted {
            headers[.retryAfter] = "60"
        }
        return Response(
            status: .init(code: error.code.httpStatus),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: body))
        )
    }
}
