import Hummingbird
import NIOCore

extension APIError {
    /// The API error that `error`, thrown while answering `request`, shows its caller: an `APIError`
    /// as it is, a decoding error as a 400 naming the field, a cancelled request as a 503, a database
    /// error as its code, and anything unknown as a 500 whose details stay in the server log.
    public init(describing error: any Error, request: Request) {
        self = Self.mapping(error, request: request)
    }

    private static func mapping(_ error: any Error, request: Request) -> APIError {
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
}
