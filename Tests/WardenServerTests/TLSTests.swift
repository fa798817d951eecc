import AsyncHTTPClient
import Foundation
import Lifecycle
import Logging
import NIOSSL
import ServiceLifecycle
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct TLSTests {
    /// Makes a self-signed certificate for 127.0.0.1 with the openssl command.
    static func selfSignedCertificate(in folder: URL) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return (certificate, key)
    }

    @Test func servesHTTPSWithTheGivenCertificate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try Self.selfSignedCertificate(in: folder)

        try await TestDatabase.with(.sqlite, migrations: WardenServer.migrations) { database in
            let admin = try await APIKeyStore(database: database).create(name: "tls", role: .admin, createdBy: "test")
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = try await WardenServer.application(
                configuration: ServerConfiguration(host: "127.0.0.1", port: 0, tlsCertificatePath: certificate, tlsKeyPath: key),
                database: database,
                exports: ExportJobs(database: database, directory: folder.appendingPathComponent("exports"), logger: Logger(label: "tls-test")),
                lifecycle: LifecycleEngine(
                    database: database, connectors: ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "test").ring),
                    settings: RunnerSettings(concurrency: 0), logger: Logger(label: "tls-test")),
                logger: Logger(label: "tls-test"),
                onServerRunning: { portContinuation.yield($0) }
            )
            let group = ServiceGroup(services: [app], logger: Logger(label: "tls-test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var port = 0
                for await value in ports { port = value; break }

                var tls = TLSConfiguration.makeClientConfiguration()
                tls.certificateVerification = .none
                let client = HTTPClient(configuration: .init(tlsConfiguration: tls))
                var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/api/v1/providers/custom/templates")
                request.headers.add(name: "Authorization", value: "Bearer \(admin.accessKey)")
                let response = try await client.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 16)
                #expect(response.status.code == 200)
                #expect(String(buffer: body) == #"{"values":[]}"#)

                // Over TLS the web UI's session cookie is Secure as well as HttpOnly and SameSite=Lax.
                let signIn = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/ui/sign_in"), timeout: .seconds(10))
                let cookie = signIn.headers["Set-Cookie"].first { $0.hasPrefix("warden_session=") } ?? ""
                #expect(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "Set-Cookie: \(cookie)")

                let plain = HTTPClient()
                await #expect(throws: (any Error).self) {
                    _ = try await plain.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
                }
                try await plain.shutdown()
                try await client.shutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
