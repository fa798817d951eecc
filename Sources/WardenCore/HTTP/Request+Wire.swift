import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// `filter`, `order_by`, `page_size` and `page_token` from the query string.
    public var listParameters: ListParameters {
        let query = formQuery
        return ListParameters(filter: query["filter"], orderBy: query["order_by"], pageSize: query["page_size"], pageToken: query["page_token"])
    }

    /// The query string decoded as an HTML form: `+` is a space (Python's requests and Veza's own
    /// examples send `filter=state+eq+"ERRORED"`), `%2B` a plus. The first value of a name wins.
    public var formQuery: [String: String] {
        FormFields(uri.query ?? "").firstValues
    }

    /// Reads and decodes a JSON body; too large → 413, malformed → 400 naming the field.
    public func decodeJSON<T: Decodable>(_ type: T.Type, context: WardenRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: context.maxUploadSize)
        }
        guard buffer.readableBytes > 0 else {
            throw APIError.invalidArgument("body", "request body is empty; send a JSON object")
        }
        return try WireJSON.decode(type, from: Data(buffer: buffer))
    }
}

/// A JSON response written with Warden's wire encoder.
public struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status = .ok
    let value: Value

    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try WireJSON.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
