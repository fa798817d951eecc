/// An error that reaches the client as the Veza error envelope.
///
/// `code` is the CamelCase gRPC code name; the HTTP status follows the grpc-gateway mapping.
public struct APIError: Error, Sendable, Equatable {
    /// The gRPC status codes Warden uses.
    public enum Code: Sendable, Equatable, CaseIterable {
        case invalidArgument
        case failedPrecondition
        case outOfRange
        case unauthenticated
        case permissionDenied
        case notFound
        case alreadyExists
        case aborted
        case resourceExhausted
        case payloadTooLarge
        case `internal`
        case unavailable
        case deadlineExceeded

        /// The CamelCase gRPC code name written in the envelope's `code`.
        public var name: String {
            switch self {
            case .invalidArgument: "InvalidArgument"
            case .failedPrecondition: "FailedPrecondition"
            case .outOfRange: "OutOfRange"
            case .unauthenticated: "Unauthenticated"
            case .permissionDenied: "PermissionDenied"
            case .notFound: "NotFound"
            case .alreadyExists: "AlreadyExists"
            case .aborted: "Aborted"
            case .payloadTooLarge, .resourceExhausted: "ResourceExhausted"
            case .internal: "Internal"
            case .unavailable: "Unavailable"
            case .deadlineExceeded: "DeadlineExceeded"
            }
        }

        /// The HTTP status code that carries this gRPC code.
        public var httpStatus: Int {
            switch self {
            case .invalidArgument, .failedPrecondition, .outOfRange: 400
            case .unauthenticated: 401
            case .permissionDenied: 403
            case .notFound: 404
            case .alreadyExists, .aborted: 409
            case .payloadTooLarge: 413
            case .resourceExhausted: 429
            case .internal: 500
            case .unavailable: 503
            case .deadlineExceeded: 504
            }
        }

        /// The SCREAMING_SNAKE reason of the `UserFacingErrorInfo` detail.
        public var reason: String {
            switch self {
            case .invalidArgument: "INVALID_ARGUMENTS"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .outOfRange: "OUT_OF_RANGE"
            case .unauthenticated: "UNAUTHENTICATED"
            case .permissionDenied: "PERMISSION_DENIED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .aborted: "ABORTED"
            case .payloadTooLarge: "PAYLOAD_TOO_LARGE"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .internal: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            }
        }
    }

    /// One `google.rpc.BadRequest` field violation.
    public struct FieldViolation: Sendable, Equatable, Codable {
        public var field: String
        public var description: String
        public init(field: String, description: String) {
            self.field = field
            self.description = description
        }
    }

    public var code: Code
    public var message: String
    public var fieldViolations: [FieldViolation]
    public var resolution: String

    public init(_ code: Code, _ message: String, fieldViolations: [FieldViolation] = [], resolution: String = "") {
        self.code = code
        self.message = message
        self.fieldViolations = fieldViolations
        self.resolution = resolution
    }

    /// A 400 `InvalidArgument` about one request field.
    public static func invalidArgument(_ field: String, _ message: String) -> APIError {
        APIError(
            .invalidArgument, message,
            fieldViolations: [FieldViolation(field: field, description: message)],
            resolution: "Correct the field named in the violation and retry."
        )
    }

    /// A 413 for a request body over `limit` bytes.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.payloadTooLarge, "request body is larger than the \(limit)-byte limit", resolution: "Send a smaller body.")
    }

    /// A 404 `NotFound` naming the missing resource.
    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "\(what) was not found")
    }
}
