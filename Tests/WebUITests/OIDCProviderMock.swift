import Foundation

/// PyPI's `oidc-provider-mock`, a real OpenID Connect provider, run on a free port of 127.0.0.1 for a
/// test: any client id and secret are accepted, and each of `users` (claims with a `sub`) is a button
/// on its authorization page.
struct OIDCProviderMock: Sendable {
    /// The provider's issuer, `http://127.0.0.1:PORT`.
    let issuer: String

    /// Starts the provider with `users`, waits until it answers, runs `body`, and stops it.
    static func run<T>(users: [[String: any Sendable]], _ body: (OIDCProviderMock) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-oidc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "oidc_provider_mock", "--port", "0"]
            + (try users.flatMap { ["--user-claims", String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)] })
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { stop(process) }
        // uvicorn says where it listens: "Uvicorn running on http://127.0.0.1:PORT (Press CTRL+C to quit)".
        for _ in 0..<400 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"running on http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                return try await body(OIDCProviderMock(issuer: String(text[range].dropFirst("running on ".count))))
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw StartError(description: "oidc-provider-mock did not start (pip install oidc-provider-mock): \(text.suffix(2000))")
    }

    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    /// SIGTERM, then SIGKILL when it is still running after two seconds.
    private static func stop(_ process: Process) {
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
