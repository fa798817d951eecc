import Foundation
import Lifecycle
import Logging
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct ConnectorSecretsTests {
    static func key() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    static let input = #"{"name": "hr-api", "type": "REST", "base_url": "https://hr.example.com", "secret_headers": {"Authorization": "Bearer t0p"}}"#

    /// The sealed secrets column of the one connector.
    static func sealed(_ database: Database) async throws -> String {
        var reader = try #require(try await database.first(database.statement("SELECT secrets FROM lcm_connectors"))).reader()
        return try reader.text()
    }

    @Test(arguments: TestDatabase.kinds)
    func rotationReencryptsUnderTheFirstKeyAndTheOldKeyCanThenGo(kind: DatabaseKind) async throws {
        let (a, b) = ("A:\(Self.key())", "B:\(Self.key())")
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let ringA = try SecretKeyRing(parsing: a, source: "test")
            let storeA = ConnectorStore(database: database, keys: ringA)
            _ = try await storeA.create(try WireJSON.decode(Connector.Input.self, from: Data(Self.input.utf8)), by: "test")
            #expect(try await Self.sealed(database).hasPrefix("v1:A:"))

            // B is added first, A still listed: everything decrypts, and rotation moves it to B.
            let ringBA = try SecretKeyRing(parsing: "\(b)\n# the old key, until rotate-key has run\n\(a)\n", source: "test")
            let storeBA = ConnectorStore(database: database, keys: ringBA)
            try await storeBA.load()
            #expect(try await storeBA.rotateKeys() == 1)
            #expect(try await Self.sealed(database).hasPrefix("v1:B:"))
            #expect(try await storeBA.rotateKeys() == 0, "a second rotation has nothing left to do")

            // A removed: B alone decrypts.
            let storeB = ConnectorStore(database: database, keys: try SecretKeyRing(parsing: b, source: "test"))
            try await storeB.load()
            #expect(try await storeB.connector(named: "hr-api")?.secretHeaders == ["Authorization": "Bearer t0p"])

            // A alone no longer does, and the error names the connector and the key.
            let stale = ConnectorStore(database: database, keys: ringA)
            await #expect {
                try await stale.load()
            } throws: { error in
                let text = "\(error)"
                return text.contains("connector \"hr-api\"") && text.contains("\"B\"")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aSecretCopiedToAnotherConnectorDoesNotDecrypt(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let store = ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "k").ring)
            _ = try await store.create(try WireJSON.decode(Connector.Input.self, from: Data(Self.input.utf8)), by: "test")
            let other = #"{"name": "other", "type": "WEBHOOK", "url": "https://hooks.example.com/x", "secret_headers": {"X": "y"}}"#
            _ = try await store.create(try WireJSON.decode(Connector.Input.self, from: Data(other.utf8)), by: "test")
            try await database.transaction { sql in
                try await sql.execute(database.statement(
                    "UPDATE lcm_connectors SET secrets = (SELECT secrets FROM lcm_connectors WHERE name = 'hr-api') WHERE name = 'other'"))
            }
            await #expect { try await store.load() } throws: { "\($0)".contains("connector \"other\"") }
        }
    }

    @Test func keyFilesAreParsedAndCheckedLineByLine() throws {
        let ring = try SecretKeyRing(parsing: "# keys\n\nnew:\(Self.key())\nold:\(Self.key())\n", source: "keys")
        #expect(ring.keys.map(\.id) == ["new", "old"])
        #expect(ring.currentKeyID == "new")
        #expect(try SecretKeyRing(parsing: Self.key(), source: "env").currentKeyID == SecretKeyRing.unnamedKeyID)
        #expect(throws: SecretKeyError.self) { try SecretKeyRing(parsing: "a:\(Self.key())\nb:c2hvcnQ=\n", source: "keys") }
        #expect(throws: SecretKeyError.self) { try SecretKeyRing(parsing: "a:\(Self.key())\na:\(Self.key())", source: "keys") }
        #expect(throws: SecretKeyError.self) { try SecretKeyRing(parsing: "# nothing\n", source: "keys") }
        do {
            _ = try SecretKeyRing(parsing: "a:\(Self.key())\nb:c2hvcnQ=\n", source: "/etc/warden/keys")
        } catch {
            #expect(error.description.hasPrefix("/etc/warden/keys, line 2:"))
        }
    }

    @Test func serveCreatesAKeyFileOnceThenReadsIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "test")
        #expect(throws: SecretKeyError.self) {
            try SecretKeyRing.load(keyFile: nil, environment: [:], dataDirectory: directory.path, createIfMissing: false, logger: logger)
        }
        let created = try SecretKeyRing.load(keyFile: nil, environment: [:], dataDirectory: directory.path, createIfMissing: true, logger: logger)
        let path = directory.appendingPathComponent("secret.key").path
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let again = try SecretKeyRing.load(keyFile: nil, environment: [:], dataDirectory: directory.path, createIfMissing: true, logger: logger)
        #expect(again.currentKeyID == created.currentKeyID)

        let fromEnvironment = try SecretKeyRing.load(
            keyFile: nil, environment: [SecretKeyRing.environmentVariable: "env:\(Self.key())"], dataDirectory: directory.path,
            createIfMissing: true, logger: logger)
        #expect(fromEnvironment.currentKeyID == "env")
        let fromFile = try SecretKeyRing.load(
            keyFile: path, environment: [SecretKeyRing.environmentVariable: "env:\(Self.key())"], dataDirectory: "/nonexistent", createIfMissing: false,
            logger: logger)
        #expect(fromFile.currentKeyID == created.currentKeyID, "--secret-key-file wins over the environment")
    }
}
