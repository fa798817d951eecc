import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import WardenCore

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
        /// Each `field_violations` entry of the envelope's details, one per line.
        var violations: [String] = []
        var description: String {
            (["\(code): \(message) (HTTP \(status))"] + violations.map { "  - \($0)" }).joined(separator: "\n")
        }
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
        try await send(client, method, url, body: json, contentType: "application/json")
    }

    /// Sends a body of any type and returns the body of a 2xx answer.
    func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: Data?, contentType: String) async throws -> Data {
        let response = try await execute(client, method, url, body: body, contentType: contentType)
        var body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        let data = body.readData(length: body.readableBytes) ?? Data()
        try Self.check(response, data)
        return data
    }

    /// Sends a request and returns the streaming response after checking its status.
    func execute(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: Data? = nil, contentType: String = "application/json") async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        return try await client.execute(request, timeout: .seconds(300))
    }

    static func check(_ response: HTTPClientResponse, _ data: Data) throws {
        guard !(200..<300).contains(response.status.code) else { return }
        let envelope = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let details = envelope?["details"] as? [[String: Any]] ?? []
        let violations = details.compactMap { $0["field_violations"] as? [[String: Any]] }.flatMap { $0 }
        throw ServerError(
            status: Int(response.status.code),
            code: envelope?["code"] as? String ?? "HTTP \(response.status.code)",
            message: envelope?["message"] as? String ?? String(decoding: data.prefix(500), as: UTF8.self),
            violations: violations.count > 1 ? violations.map { violation in
                let field = violation["field"] as? String ?? ""
                let description = violation["description"] as? String ?? ""
                return description.hasPrefix(field) ? description : "\(field): \(description)"
            } : []
        )
    }

    /// Creates an export job with `body` at `createPath`, polls it at `statusPath/{id}` until it ends,
    /// and downloads its file to `out` with a progress bar; returns the job's row count.
    func export(createPath: String, body: Data, statusPath: String, out: String) async throws -> Int64 {
        try await withHTTPClient { http in
            let created = try JSONDecoder().decode(ValueEnvelope<ExportJob>.self, from: try await send(http, .POST, url(createPath), json: body)).value
            var job = created
            while job.status == .created || job.status == .processing {
                try await Task.sleep(for: .milliseconds(200))
                job = try JSONDecoder().decode(ValueEnvelope<ExportJob>.self, from: try await send(http, .GET, url("\(statusPath)/\(created.id)"))).value
            }
            guard job.status == .finished else {
                throw ServerError(status: 200, code: "Export\(job.status.rawValue.capitalized)", message: "the export \(job.id) ended \(job.status.rawValue): \(job.message)")
            }
            let response = try await execute(http, .GET, url(job.downloadURL))
            try Self.check(response, Data())
            guard FileManager.default.createFile(atPath: out, contents: nil) else {
                throw ServerError(status: 0, code: "CannotCreateFile", message: "cannot create \(out)")
            }
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            defer { try? file.close() }
            var progress = ProgressBar(total: Int(job.sizeBytes), unit: "bytes")
            var written = 0
            for try await chunk in response.body {
                try file.write(contentsOf: chunk.readableBytesView)
                written += chunk.readableBytes
                progress.update(written)
            }
            return job.rowCount
        }
    }
}

/// A list answer: `{"values", "next_page_token", "has_more"}`.
struct ListBody<Value: Decodable>: Decodable {
    var values: [Value]
    var nextPageToken: String
    var hasMore: Bool

    enum CodingKeys: String, CodingKey {
        case values
        case nextPageToken = "next_page_token"
        case hasMore = "has_more"
    }
}
