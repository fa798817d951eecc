import Foundation
import Hummingbird
import NIOCore
import SCIMFilter
import WardenCore

/// A failure answered in SCIM's own error body (RFC 7644 §3.12): every error under `/scim/v2`.
public struct SCIMError: Error, Sendable, Equatable {
    /// The `scimType` values of RFC 7644 §3.12 that Warden answers with.
    public enum Kind: String, Sendable {
        case invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue, invalidVers, sensitive
    }

    public var status: Int
    public var scimType: Kind?
    public var detail: String

    public init(status: Int, _ scimType: Kind? = nil, _ detail: String) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
    }

    static func badRequest(_ scimType: Kind, _ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType, detail)
    }

    static func notFound(_ what: String) -> SCIMError {
        SCIMError(status: 404, nil, "\(what) not found")
    }

    /// The paths whose errors are SCIM errors.
    public static let pathPrefix = "/scim/v2"

    static let schema = "urn:ietf:params:scim:api:messages:2.0:Error"

    /// The SCIM error `error`, thrown while answering `request`, shows its caller: a `SCIMError` as it
    /// is, a filter error as invalidFilter, anything else through `APIError(describing:)` with its status.
    public init(describing error: any Error, request: Request) {
        switch error {
        case let error as SCIMError:
            self = error
        case let error as FilterError:
            self = .badRequest(.invalidFilter, error.message)
        case let error as HTTPError where [.notFound, .methodNotAllowed].contains(error.status) && SCIMRoutes.serves(request.uri.path):
            self.init(status: 405, nil, "\(request.uri.path) does not take \(request.method)")
        default:
            let apiError = APIError(describing: error, request: request)
            let status = apiError.code.httpStatus
            // A unique index refusing a write a concurrent request made first is a 409 too.
            self.init(status: status, status == 400 ? .invalidValue : apiError.code == .alreadyExists ? .uniqueness : nil, apiError.message)
        }
    }

    /// The error as a response with SCIM's body and content type.
    public var response: Response {
        var body: [String: JSONValue] = ["schemas": [.string(Self.schema)], "status": .string(String(status)), "detail": .string(detail)]
        if let scimType { body["scimType"] = .string(scimType.rawValue) }
        var headers: HTTPFields = [.contentType: SCIMResponse.contentType]
        if status == 429 { headers[.retryAfter] = "60" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(body).jsonText)))
    }
}
