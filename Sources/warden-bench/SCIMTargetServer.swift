import AsyncHTTPClient
import Foundation
import NIOCore
import SCIMFilter
import NIOPosix
import WardenCore

/// PyPI's `scim2-server` (a SCIM 2.0 service provider holding its resources in memory), started on
/// a free port of 127.0.0.1 with a bearer token for as long as a body runs.
struct SCIMTargetServer: Sendable {
    let port: Int
    static let token = "bench-scim-token"

    /// The base URL a SCIM connector takes.
    var url: String { "http://127.0.0.1:\(port)/v2" }

    /// Starts a fresh server, waits until it answers, runs `body`, and kills it (it ignores SIGTERM).
    static func run<T>(_ body: (SCIMTargetServer) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["scim2-server", "--hostname", "127.0.0.1", "--port", "\(port)", "--bearer-token", token]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let server = SCIMTargetServer(port: port)
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await server.call("GET", "/ServiceProviderConfig")) == nil {
            guard process.isRunning, ContinuousClock.now < deadline else { throw BenchError("scim2-server did not start on port \(port)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await body(server)
    }

    /// One call straight to the server: the status, the JSON body and its size in bytes.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> (status: Int, body: JSONValue, bytes: Int) {
        var request = HTTPClientRequest(url: url + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/scim+json")
            request.body = .bytes(ByteBuffer(data: try WireJSON.encoder().encode(body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 1 << 30)
        let json = data.readableBytes == 0 ? JSONValue.null : try WireJSON.decoder().decode(JSONValue.self, from: Data(data.readableBytesView))
        return (Int(response.status.code), json, data.readableBytes)
    }

    /// Creates a group and answers its id.
    func createGroup(_ displayName: String) async throws -> String {
        let (status, body, _) = try await call("POST", "/Groups", .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Group")]), "displayName": .string(displayName),
        ]))
        guard status == 201, case .object(let group) = body, case .string(let id)? = group["id"] else {
            throw BenchError("creating the group \(displayName) answered \(status): \(body)")
        }
        return id
    }

    /// How many users the server holds.
    func userCount() async throws -> Int {
        let (_, body, _) = try await call("GET", "/Users?count=0")
        guard case .object(let list) = body, case .number(let total)? = list["totalResults"] else { throw BenchError("no totalResults in \(body)") }
        return Int(total)
    }

    /// How many members the group named `displayName` has.
    func memberCount(of displayNames: [String]) async throws -> Int {
        var count = 0
        for displayName in displayNames {
            let filter = #"displayName eq "\#(displayName)""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let (_, body, _) = try await call("GET", "/Groups?filter=\(filter)")
            guard case .object(let list) = body, case .array(let resources)? = list["Resources"], case .object(let group)? = resources.first,
                  case .array(let members)? = group["members"] else { continue }
            count += members.count
        }
        return count
    }
}

/// A benchmark that could not run as set up.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) {
        self.description = description
    }
}
