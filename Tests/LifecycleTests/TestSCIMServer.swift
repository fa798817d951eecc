import AsyncHTTPClient
import Foundation
import NIOCore
import SCIMFilter
import Testing
import WardenCore

/// PyPI's `scim2-server`, a real SCIM 2.0 service provider holding its resources in memory, with a
/// bearer token on 127.0.0.1. Each test gets a tenant of its own on one server process shared by the
/// whole run (`--dynamic-tenants`): a Python server per test, all starting together, starved the
/// machine's two cores.
struct TestSCIMServer: Sendable {
    /// Where the tenant's resources are: `http://127.0.0.1:PORT/TENANT`, or the server's root.
    let root: String
    static let token = "scim-s3cret"

    /// The base URL a SCIM connector takes.
    var url: String { "\(root)/v2" }

    /// Runs `body` with a fresh tenant of the shared server. With `dump`, a server of its own is
    /// started instead and stopped with SIGINT, writing every resource it holds, as stored
    /// (passwords included), there.
    static func run<T>(dumpingTo dump: URL? = nil, _ body: (TestSCIMServer) async throws -> T) async throws -> T {
        guard let dump else {
            let port = try await SharedSCIMServer.shared.port()
            return try await body(TestSCIMServer(root: "http://127.0.0.1:\(port)/t\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"))
        }
        let port = try await TestPeer.closedPort()
        // The test process's threads block SIGINT, and a child inherits that; the dump is written on SIGINT.
        let launcher = "import signal, sys; signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT]); "
            + "signal.signal(signal.SIGINT, signal.default_int_handler); sys.argv[0] = 'scim2-server'; "
            + "from scim2_server.testserver.cli import main; main()"
        let process = try start(["python3", "-c", launcher] + options(port) + ["--dump-resources", dump.path])
        let server = TestSCIMServer(root: "http://127.0.0.1:\(port)")
        do {
            try await server.waitUntilServing(process)
            let result = try await body(server)
            process.interrupt()
            for _ in 0..<500 where process.isRunning {
                try await Task.sleep(for: .milliseconds(10))
            }
            // scim2-server does not stop on SIGTERM: TestPeer.stop follows with SIGKILL.
            await TestPeer.stop(process)
            return result
        } catch {
            await TestPeer.stop(process)
            throw error
        }
    }

    static func options(_ port: Int) -> [String] {
        ["--hostname", "127.0.0.1", "--port", "\(port)", "--bearer-token", token]
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitUntilServing(_ process: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await call("GET", "/ServiceProviderConfig")) == nil {
            guard process.isRunning, ContinuousClock.now < deadline else { throw PeerError("scim2-server did not start at \(root)") }
            try await Task.sleep(for: .milliseconds(100))
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

/// The one scim2-server of a test run, started on first use. It exits when the test process does: a
/// thread of its launcher watches for the parent to go.
private actor SharedSCIMServer {
    static let shared = SharedSCIMServer()
    private var starting: Task<Int, any Error>?

    func port() async throws -> Int {
        if let starting { return try await starting.value }
        let task = Task {
            let port = try await TestPeer.closedPort()
            let launcher = "import os, sys, threading, time\n"
                + "def watch(parent=os.getppid()):\n"
                + "    while os.getppid() == parent: time.sleep(0.5)\n"
                + "    os._exit(0)\n"
                + "threading.Thread(target=watch, daemon=True).start()\n"
                + "sys.argv[0] = 'scim2-server'\n"
                + "from scim2_server.testserver.cli import main\n"
                + "main()\n"
            let process = try TestSCIMServer.start(["python3", "-c", launcher] + TestSCIMServer.options(port) + ["--dynamic-tenants"])
            try await TestSCIMServer(root: "http://127.0.0.1:\(port)/probe").waitUntilServing(process)
            return port
        }
        starting = task
        return try await task.value
    }
}
