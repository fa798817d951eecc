import AsyncHTTPClient
import Foundation
import NIOCore
import SCIMFilter
import Testing
import WardenCore

/// PyPI's `scim2-server`, a real SCIM 2.0 service provider holding its resources in memory,
/// started on a free port of 127.0.0.1 with a bearer token, and stopped when the test is done.
struct TestSCIMServer: Sendable {
    let port: Int
    static let token = "scim-s3cret"

    /// The base URL a SCIM connector takes.
    var url: String { "http://127.0.0.1:\(port)/v2" }

    /// Starts the server, waits until it answers, runs `body`, and stops it. With `dump`, the server
    /// is stopped with SIGINT and writes every resource it holds, as stored (passwords included), there.
    static func run<T>(dumpingTo dump: URL? = nil, _ body: (TestSCIMServer) async throws -> T) async throws -> T {
        let port = try await TestPeer.closedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let options = ["--hostname", "127.0.0.1", "--port", "\(port)", "--bearer-token", token]
        if let dump {
            // The test process's threads block SIGINT, and a child inherits that; the dump is written on SIGINT.
            let launcher = "import signal, sys; signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT]); "
                + "signal.signal(signal.SIGINT, signal.default_int_handler); sys.argv[0] = 'scim2-server'; "
                + "from scim2_server.testserver.cli import main; main()"
            process.arguments = ["python3", "-c", launcher] + options + ["--dump-resources", dump.path]
        } else {
            process.arguments = ["scim2-server"] + options
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = TestSCIMServer(port: port)
        do {
            let deadline = ContinuousClock.now + .seconds(60)
            while (try? await server.call("GET", "/ServiceProviderConfig")) == nil {
                guard process.isRunning, ContinuousClock.now < deadline else { throw PeerError("scim2-server did not start on port \(port)") }
                try await Task.sleep(for: .milliseconds(100))
            }
            let result = try await body(server)
            if dump != nil {
                process.interrupt()
                for _ in 0..<500 where process.isRunning {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            // scim2-server does not stop on SIGTERM: TestPeer.stop follows with SIGKILL.
            await TestPeer.stop(process)
            return result
        } catch {
            await TestPeer.stop(process)
            throw error
        }
    }

    /// One SCIM call straight to the server: the status and the JSON body.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: url + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/scim+json")
            request.body = .bytes(ByteBuffer(data: try WireJSON.encoder().encode(body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 24)
        let json = data.readableBytes == 0 ? JSONValue.null : try WireJSON.decoder().decode(JSONValue.self, from: Data(data.readableBytesView))
        return (Int(response.status.code), json)
    }

    /// Every user (or group), as the server holds them.
    func resources(_ endpoint: String) async throws -> [[String: JSONValue]] {
        let (_, body) = try await call("GET", "\(endpoint)?count=1000")
        guard case .array(let resources)? = body.memberValue("Resources") else { return [] }
        return resources.compactMap { if case .object(let members) = $0 { members } else { nil } }
    }

    /// Creates a group and answers its id.
    func createGroup(_ displayName: String) async throws -> String {
        let (status, body) = try await call("POST", "/Groups", .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Group")]), "displayName": .string(displayName),
        ]))
        #expect(status == 201, "\(body)")
        guard case .string(let id)? = body.memberValue("id") else { throw PeerError("no group id in \(body)") }
        return id
    }

    /// The user ids in the group named `displayName`.
    func members(of displayName: String) async throws -> Set<String> {
        let group = try await resources("/Groups").first { $0["displayName"] == .string(displayName) }
        guard case .array(let members)? = group?["members"] else { return [] }
        return Set(members.compactMap { if case .string(let id)? = $0.memberValue("value") { id } else { nil } })
    }
}
