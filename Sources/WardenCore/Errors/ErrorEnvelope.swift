import SCIMFilter

/// The Veza error body: `{"code", "message", "request_id", "timestamp", "details"}`.
public struct ErrorEnvelope: Encodable, Sendable {
    public var code: String
    public var message: String
    public var requestID: String
    public var timestamp: String
    public var details: [Detail]

    /// An entry of `details`, tagged by its `@type`.
    public enum Detail: Encodable, Sendable {
        case badRequest([APIError.FieldViolation])
        case userFacing(reason: String, message: String, resolution: String)

        private enum Keys: String, CodingKey {
            case type = "@type"
            case fieldViolations = "field_violations"
            case reason, metadata, message, resolution
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .badRequest(let violations):
                try container.encode("type.googleapis.com/google.rpc.BadRequest", forKey: .type)
                try container.encode(violations, forKey: .fieldViolations)
            case .userFacing(let reason, let message, let resolution):
                try container.encode("type.googleapis.com/errorstatus.v1.UserFacingErrorInfo", forKey: .type)
                try container.encode(reason, forKey: .reason)
                try container.encode([String: String](), forKey: .metadata)
                try container.encode(message, forKey: .message)
                try container.encode(resolution, forKey: .resolution)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case code, message, details
        case requestID = "request_id"
        case timestamp
    }

    public init(_ error: APIError, requestID: String, at time: Timestamp) {
        self.code = error.code.name
        self.message = error.message
        self.requestID = requestID
        self.timestamp = time.rfc3339
        var details: [Detail] = []
        if !error.fieldViolations.isEmpty {
            details.append(.badRequest(error.fieldViolations))
        }
        details.append(.userFacing(reason: error.code.reason, message: error.message, resolution: error.resolution))
        self.details = details
    }
}
