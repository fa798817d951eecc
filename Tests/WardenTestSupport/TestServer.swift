import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import NIOCore
import WardenCore
import WardenServer
import Testing

/// A live Warden server on a fresh database, with an admin key and a way to make keys of other roles.
public struct TestServer: Sendable {
    public let client: any TestClientProtocol
    public let adminKey: String
    public let keys: APIKeyStore
    public let database: Database

    /// Runs `body` against a live server (real HTTP parsing) on a fresh database of `kind`.
    public static func run(_ kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (TestServer) async throws -> Void) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let keys = APIKeyStore(database: database)
            let admin = try await keys.create(name: "test-admin", role: .admin, createdBy: "test")
            var logger = Logger(label: "warden.test")
            logger.logLevel = .warning
            let exports = FileManager.default.temporaryDirectory.appendingPathComponent("warden-exports-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: exports) }
            let app = try await WardenServer.application(
                configuration: ServerConfiguration(port: 0, exportDirectory: exports), database: database, logger: logger
            )
            try await app.test(.live) { client in
                try await body(TestServer(client: client, adminKey: admin.accessKey, keys: keys, database: database))
            }
        }
    }

    /// A new key with `role`; a reviewer's gets `email`, or an email of its own.
    public func key(_ role: Role, email: String? = nil) async throws -> String {
        let email = email ?? (role == .reviewer ? "reviewer-\(UUID().uuidString.lowercased())@example.com" : "")
        return try await keys.create(name: "test-\(role.rawValue)", role: role, email: email, createdBy: "test").accessKey
    }

    /// Sends a request with `key` (the admin key by default; "" for none).
    public func request(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil, body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        let key = key ?? adminKey
        if !key.isEmpty { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body ?? json.map { ByteBuffer(string: $0) })
    }

    /// `uri` with `parameters` percent-encoded into its query string.
    public static func uri(_ path: String, _ parameters: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "")
            .replacingOccurrences(of: "+", with: "%2B")
    }
}

extension TestResponse {
    /// The body as a JSON object.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }

    public var text: String { String(buffer: body) }
}

extension TestResponse {
    /// Checks the Veza error envelope (status, code, 32-hex request id matching the header, nine-digit
    /// timestamp, UserFacingErrorInfo) and returns its message.
    @discardableResult
    public func expectEnvelope(status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(Int(self.status.code) == status, "body: \(text)", sourceLocation: sourceLocation)
        let body = json
        #expect(body["code"] as? String == code, sourceLocation: sourceLocation)
        let requestID = body["request_id"] as? String ?? ""
        #expect(requestID.count == 32 && requestID.allSatisfy(\.isHexDigit), sourceLocation: sourceLocation)
        #expect(headers[.init("X-Request-Id")!] == requestID, sourceLocation: sourceLocation)
        let timestamp = body["timestamp"] as? String ?? ""
        #expect(timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"#, options: .regularExpression) != nil, sourceLocation: sourceLocation)
        let details = body["details"] as? [[String: Any]] ?? []
        #expect(details.contains { $0["@type"] as? String == "type.googleapis.com/errorstatus.v1.UserFacingErrorInfo" }, sourceLocation: sourceLocation)
        return body["message"] as? String ?? ""
    }
}
