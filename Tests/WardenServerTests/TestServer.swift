import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import NIOCore
import WardenCore
import WardenServer
import WardenTestSupport

/// A live Warden server on a fresh database, with an admin key and a way to make keys of other roles.
struct TestServer {
    let client: any TestClientProtocol
    let adminKey: String
    let keys: APIKeyStore

    /// Runs `body` against a live server (real HTTP parsing) on a fresh database of `kind`.
    static func run(_ kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (TestServer) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { database in
            let keys = APIKeyStore(database: database)
            let admin = try await keys.create(name: "test-admin", role: .admin, createdBy: "test")
            var logger = Logger(label: "warden.test")
            logger.logLevel = .warning
            let app = try await WardenServer.application(configuration: ServerConfiguration(port: 0), database: database, logger: logger)
            try await app.test(.live) { client in
                try await body(TestServer(client: client, adminKey: admin.accessKey, keys: keys))
            }
        }
    }

    /// A new key with `role`.
    func key(_ role: Role) async throws -> String {
        try await keys.create(name: "test-\(role.rawValue)", role: role, createdBy: "test").accessKey
    }

    /// Sends a request with `key` (the admin key by default; "" for none).
    func request(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil, body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        let key = key ?? adminKey
        if !key.isEmpty { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body ?? json.map { ByteBuffer(string: $0) })
    }

    /// `uri` with `parameters` percent-encoded into its query string.
    static func uri(_ path: String, _ parameters: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "")
            .replacingOccurrences(of: "+", with: "%2B")
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }

    var text: String { String(buffer: body) }
}
