import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Lifecycle
import NIOCore
import WardenCore
import WardenServer
import WebUI
import Testing

/// A live Warden server on a fresh database, with an admin key and a way to make keys of other roles.
public struct TestServer: Sendable {
    public let client: any TestClientProtocol
    public let adminKey: String
    public let keys: APIKeyStore
    public let database: Database
    /// The server's export jobs, and the folder they write to.
    public let exports: ExportJobs
    public let exportDirectory: URL
    /// The server's connectors, their secrets under one random key.
    public let connectors: ConnectorStore

    /// Runs `body` against a live server (real HTTP parsing) on a fresh database of `kind`, which runs
    /// at most `maxConcurrentExports` exports at once and sweeps them every `exportSweepInterval`,
    /// whose policies see `policyEnvironment`'s sources, identities and connectors (the database's
    /// when nil), whose lifecycle runner works as `runner` says, and whose web UI is configured by `web`.
    public static func run(
        _ kind: DatabaseKind = .sqlite, maxConcurrentExports: Int = ExportJobs.defaultMaxConcurrent,
        exportSweepInterval: Duration = ExportHousekeeping.defaultInterval, policyEnvironment: (any PolicyEnvironment)? = nil,
        runner: RunnerSettings = TestServer.runner, web: WebConfiguration = WebConfiguration(),
        _ body: @escaping @Sendable (TestServer) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let keys = APIKeyStore(database: database)
            let admin = try await keys.create(name: "test-admin", role: .admin, createdBy: "test")
            var logger = Logger(label: "warden.test")
            logger.logLevel = .warning
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-exports-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let exports = ExportJobs(database: database, directory: directory, maxConcurrent: maxConcurrentExports, logger: logger)
            let connectors = ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "test").ring)
            let app = try await WardenServer.application(
                configuration: ServerConfiguration(port: 0, exportSweepInterval: exportSweepInterval, web: web), database: database, exports: exports,
                lifecycle: LifecycleEngine(
                    database: database, connectors: connectors, settings: runner, policyEnvironment: policyEnvironment, logger: logger),
                logger: logger
            )
            try await app.test(.live) { client in
                try await body(TestServer(
                    client: client, adminKey: admin.accessKey, keys: keys, database: database, exports: exports, exportDirectory: directory,
                    connectors: connectors))
            }
        }
    }

    /// A quick runner: short polls and retries that back off 50 ms, 100 ms, then 200 ms.
    public static let runner = RunnerSettings(
        concurrency: 8, leaseDuration: .seconds(5), pollInterval: .milliseconds(20), backoffBase: .milliseconds(50), backoffCap: .milliseconds(200))

    /// A new key with `role`; a reviewer's gets `email`, or an email of its own; a provisioner's
    /// pushes into `source` (by default `HR`, which need not exist).
    public func key(_ role: Role, email: String? = nil, source: String = "HR") async throws -> String {
        let email = email ?? (role == .reviewer ? "reviewer-\(UUID().uuidString.lowercased())@example.com" : "")
        return try await keys.create(
            name: "test-\(role.rawValue)", role: role, email: email, identitySource: role == .provisioner ? source : "", createdBy: "test"
        ).accessKey
    }

    /// Sends a request with `key` (the admin key by default; "" for none), and an `Accept` header if given.
    /// A `json` body goes as `application/json`; any other `body` as `contentType`, if given.
    public func request(
        _ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil, body: ByteBuffer? = nil, contentType: String? = nil,
        accept: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        let key = key ?? adminKey
        if !key.isEmpty { headers[.authorization] = "Bearer \(key)" }
        if let contentType = json != nil ? "application/json" : contentType { headers[.contentType] = contentType }
        if let accept { headers[.accept] = accept }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body ?? json.map { ByteBuffer(string: $0) })
    }

    /// The export job at `path`, polled until it is FINISHED or FAILED (or 5 s have passed).
    public func settledExport(_ path: String) async throws -> [String: Any] {
        var job: [String: Any] = [:]
        for _ in 0..<200 {
            job = try await request(.get, path).json["value"] as? [String: Any] ?? [:]
            if job["status"] as? String == "FINISHED" || job["status"] as? String == "FAILED" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        return job
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
    /// Checks that the response is SCIM's error body with `status` and `scimType` (nil: none); returns its detail.
    @discardableResult
    public func expectSCIMError(status: Int, scimType: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(Int(self.status.code) == status, "body: \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/scim+json", sourceLocation: sourceLocation)
        let body = json
        #expect(body["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"], "body: \(text)", sourceLocation: sourceLocation)
        #expect(body["status"] as? String == String(status), "body: \(text)", sourceLocation: sourceLocation)
        #expect(body["scimType"] as? String == scimType, "body: \(text)", sourceLocation: sourceLocation)
        return body["detail"] as? String ?? ""
    }

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

    /// Checks a 429 `ResourceExhausted` envelope with a `Retry-After` of whole seconds, and returns its message.
    @discardableResult
    public func expectRetryLater(sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let message = expectEnvelope(status: 429, code: "ResourceExhausted", sourceLocation: sourceLocation)
        #expect((headers[.retryAfter].flatMap { Int($0) } ?? 0) > 0, "Retry-After: \(headers[.retryAfter] ?? "none")", sourceLocation: sourceLocation)
        return message
    }
}
