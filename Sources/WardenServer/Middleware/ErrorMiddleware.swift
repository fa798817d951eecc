import Foundation
import Hummingbird
import Logging
import NIOCore
import SCIMFilter
import WardenCore

/// Turns every error, including unknown routes and oversized bodies, into the Veza error envelope,
/// writes the request id header on every response, and logs each request once.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            if apiError.code.httpStatus >= 500, !(error is CancellationError) {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            }
            response = Self.response(for: apiError, requestID: context.requestID)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["duration_ms": .string(String(format: "%.3f", elapsed.inSeconds * 1000))]
        )
        return response
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DecodingError:
            return APIError(decoding: error)
        case is CancellationError:
            return APIError(.unavailable, "the request was cancelled before it finished: the server is shutting down", resolution: "Retry shortly.")
        case is NIOTooManyBytesError:
            return .payloadTooLarge(limit: WardenRequestContext.uploadLimit)
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return APIError(.notFound, "no endpoint \(request.method) \(request.uri.path)", resolution: "Check the path against /openapi.yaml.")
            case .contentTooLarge:
                return .payloadTooLarge(limit: WardenRequestContext.uploadLimit)
            case .methodNotAllowed:
                return APIError(.notFound, "no endpoint \(request.method) \(request.uri.path)", resolution: "Check the method against /openapi.yaml.")
            case .unauthorized:
                return APIError(.unauthenticated, error.body ?? "authentication required")
            case .badRequest:
                return .invalidArgument("body", error.body ?? "bad request")
            default:
                return error.status.code < 500
                    ? APIError(.invalidArgument, error.body ?? error.status.reasonPhrase)
                    : APIError(.internal, "internal server error; the log line for request carries the details")
            }
        default:
            if let mapped = APIError(database: error) { return mapped }
            return APIError(.internal, "internal server error; the server log has the details under this request_id", resolution: "Retry; if the error persists, report the request_id.")
        }
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
