import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A small client of Warden's own API for the CLI's client commands.
struct WardenClient {
    let baseURL: String
    let token: String
    let insecure: Bool

    /// An error envelope from the server, shown as `Code: message`.
    struct ServerError: Error, CustomStringConvertible {
        var status: Int
        var code: String
        var message: String
        var description: String { "\(code): \(message) (HTTP \(status))" }
    }

    func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        if insecure {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func url(_ path: String, _ query: [(String, String)] = []) -> String {
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return baseURL + path + (encoded.isEmpty ? "" : "?" + encoded)
    }

    /// Sends a request and returns the body of a 2xx answer; an error envelope becomes a ServerError.
    func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, json: Data? = nil) async throws -> Data {
        let response = try await execute(client, method, url, json: json)
        var body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        let data = body.readData(length: body.readableBytes) ?? Data()
        try Self.check(response, data)
        return data
    }

    /// Sends a request and returns the streaming response after checking its status.
    func execute(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, json: Data? = nil) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: json))
        }
        return try await client.execute(request, timeout: .seconds(300))
    }

    static func check(_ response: HTTPClientResponse, _ data: Data) throws {
        guard !(200..<300).contains(response.status.code) else { return }
        let envelope = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        throw ServerError(
            status: Int(response.status.code),
            code: envelope?["code"] as? String ?? "HTTP \(response.status.code)",
            message: envelope?["message"] as? String ?? String(decoding: data.prefix(500), as: UTF8.self)
        )
    }
}
