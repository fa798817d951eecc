import Foundation
import Hummingbird

/// The per-request state every Warden handler sees: its request id and, once authenticated, its key.
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// 32 lower-case hex digits, written in the response header, the error body and every log line.
    public var requestID: String
    /// The caller's key, set by `AuthMiddleware`.
    public var apiKey: APIKey?
    /// The HTTP connection the request came on.
    public let connection: ObjectIdentifier

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.connection = ObjectIdentifier(source.channel)
        self.requestID = RequestID.make()
        self.apiKey = nil
        self.logger[metadataKey: "request_id"] = .string(requestID)
    }

    /// The largest request body any endpoint reads, in bytes.
    public static let uploadLimit = 4 * 1024 * 1024

    public var maxUploadSize: Int { Self.uploadLimit }

    public var responseEncoder: JSONEncoder { WireJSON.encoder() }

    /// The caller's key; a 401 when the request is unauthenticated.
    public func authenticatedKey() throws -> APIKey {
        guard let apiKey else { throw APIError(.unauthenticated, "this endpoint needs an API key: send Authorization: Bearer <key>") }
        return apiKey
    }

    /// A path parameter, percent-decoded once (`Sync%20AD%20Attributes` → `Sync AD Attributes`).
    public func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.invalidArgument(name, "\(name) is not valid percent-encoding: \(raw)")
        }
        return decoded
    }

    /// Checks the caller against `operation`'s row of the permission table: a 401 without a key when
    /// the operation needs one, a 403 when the key's role is not in the row. Returns the caller's key.
    @discardableResult
    public func require(_ operation: APIOperation) throws -> APIKey {
        try permit(operation)
        return try authenticatedKey()
    }

    /// Checks the caller against `operation`'s row of the permission table, for operations that may
    /// need no key.
    public func permit(_ operation: APIOperation) throws {
        try operation.authorize(apiKey)
    }
}

/// Request ids: 128 random bits as 32 hex digits, the form Veza uses.
enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
