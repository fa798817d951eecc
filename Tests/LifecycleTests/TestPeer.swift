import Foundation
import SCIMFilter
import NIOCore
import NIOPosix
import Testing

/// A test peer from `scripts/`: a Python program started on a free port of 127.0.0.1, stopped
/// when the test is done.
struct TestPeer: Sendable {
    let port: Int
    let directory: URL

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts").standardizedFileURL

    /// Starts `scripts/<script>` with `arguments` and `--port 0 --port-file FILE`, waits until it
    /// has written its port, runs `body`, and stops it.
    static func run<T>(
        _ script: String, _ arguments: [String] = [], in directory: URL? = nil, _ body: (TestPeer) async throws -> T
    ) async throws -> T {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("warden-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let portFile = directory.appendingPathComponent("port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts.appendingPathComponent(script).path] + arguments + ["--port", "0", "--port-file", portFile.path]
        let errors = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var port: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let number = Int(text) {
                port = number
                break
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        guard let port else {
            await stop(process)
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw PeerError("scripts/\(script) did not start: \(stderr)")
        }
        do {
            let result = try await body(TestPeer(port: port, directory: directory))
            await stop(process)
            return result
        } catch {
            await stop(process)
            throw error
        }
    }

    /// SIGTERM, then SIGKILL when it is still running after two seconds.
    static func stop(_ process: Process) async {
        process.terminate()
        for _ in 0..<200 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Whether `python3 -c "import MODULE"` works.
    static func pythonHas(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// A self-signed certificate for 127.0.0.1 made by openssl: (certificate, key) paths.
    static func certificate(in directory: URL) throws -> (String, String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make a certificate")
        return (certificate, key)
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-cert-\(UUID().uuidString)")
    }

    /// A port on 127.0.0.1 that nothing listens on.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 9
        try await channel.close()
        return port
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) {
        self.description = description
    }
}

extension JSONValue {
    /// The member `name` of an object; nil for anything else.
    func memberValue(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[name]
    }
}
