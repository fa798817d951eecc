import Hummingbird
import NIOCore
import SCIMFilter

/// A SCIM response: a JSON body as `application/scim+json`, with the resource's `ETag` and
/// `Location` when it has them.
struct SCIMResponse: ResponseGenerator {
    static let contentType = "application/scim+json"

    var body: JSONValue
    var status: HTTPResponse.Status = .ok
    var etag: String?
    var location: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: Self.contentType]
        if let etag { headers[.eTag] = etag }
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.jsonText)))
    }

    /// A resource with its `meta.version` as the `ETag` and `meta.location` as the `Location`.
    init(resource: JSONValue, status: HTTPResponse.Status = .ok) {
        self.body = resource
        self.status = status
        if case .object(let object) = resource, case .object(let meta)? = object["meta"] {
            if case .string(let version)? = meta["version"] { etag = version }
            if status == .created, case .string(let location)? = meta["location"] { self.location = location }
        }
    }

    init(body: JSONValue, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }
}
