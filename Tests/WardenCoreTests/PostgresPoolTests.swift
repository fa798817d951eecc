import Foundation
import Logging
import Testing
import WardenCore
import WardenTestSupport

/// PostgreSQL through PostgresNIO against the real servers `scripts/test-postgres.sh` starts: one
/// with TLS (its own CA; the role postgres must use TLS, warden_plain may go without, and three
/// roles sign in with the method their name ends in) and one without TLS.
@Suite(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
struct PostgresPoolTests {
    static var logger: Logger {
        var logger = Logger(label: "warden.test")
        logger.logLevel = .critical
        return logger
    }

    static func open(_ settings: PostgresSettings) async throws -> Database {
        try await Database.open(.postgres(settings), logger: logger)
    }

    static func open(_ url: String) async throws -> Database {
        try await Database.open(try DatabaseConfiguration.parse(url), logger: logger)
    }

    /// Runs `statements` on one connection as the test server's superuser.
    static func administer(_ statements: [String]) async throws {
        try await TestDatabase.runOnMaintenance(try TestDatabase.postgresSettings(), statements)
    }

    /// The test server's URL with `replacing` swapped in.
    static func url(replacing old: String, with new: String) throws -> String {
        let url = try #require(TestDatabase.postgresURL)
        return url.replacingOccurrences(of: old, with: new)
    }

    @Test func theStorageSuiteRunsOverVerifiedTLS() async throws {
        let settings = try TestDatabase.postgresSettings()
        #expect(settings.tlsMode == .verifyFull)
        let database = try await Self.open(settings)
        let row = try await database.first(database.statement("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        #expect(row?.values == [.boolean(true)])
        await database.close()
    }

    @Test func signsInWithPasswordMD5AndSCRAM() async throws {
        for (role, encryption) in [("warden_auth_password", "scram-sha-256"), ("warden_auth_md5", "md5"), ("warden_auth_scram", "scram-sha-256")] {
            try await Self.administer([
                "SET password_encryption = '\(encryption)'", "DROP ROLE IF EXISTS \(role)", "CREATE ROLE \(role) LOGIN PASSWORD 'pa55 wörd'",
            ])
        }
        for role in ["warden_auth_password", "warden_auth_md5", "warden_auth_scram"] {
            var settings = try TestDatabase.postgresSettings()
            settings.username = role
            settings.password = "pa55 wörd"
            let database = try await Self.open(settings)
            #expect(try await database.rows(database.statement("SELECT current_user")).first?.values == [.text(role)])
            await database.close()

            settings.password = "wrong"
            do {
                let wrong = try await Self.open(settings)
                await wrong.close()
                Issue.record("\(role) signed in with a wrong password")
            } catch let error as PostgresError {
                #expect(error.sqlState == "28P01", "\(role): \(error)")
            }
            settings.password = nil
            await #expect {
                _ = try await Self.open(settings)
            } throws: { error in
                "\(error)".contains("password")
            }
        }
    }

    @Test func aPasswordWithURLCharactersAndNonASCIISignsIn() async throws {
        let password = "p%a@s:s/wörd ✓?&"
        try await Self.administer([
            "SET password_encryption = 'scram-sha-256'", "DROP ROLE IF EXISTS warden_auth_url",
            "CREATE ROLE warden_auth_url LOGIN PASSWORD '\(password)'",
        ])
        let encoded = try #require(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let database = try await Self.open(try Self.url(replacing: "postgres://postgres@", with: "postgres://warden_auth_url:\(encoded)@"))
        #expect(try await database.rows(database.statement("SELECT current_user")).first?.values == [.text("warden_auth_url")])
        await database.close()
        // Decoded twice, %2540 would become "@", not "%40": the server must refuse it.
        let twice = try #require(encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        await #expect {
            _ = try await Self.open(try Self.url(replacing: "postgres://postgres@", with: "postgres://warden_auth_url:\(twice)@"))
        } throws: { error in
            (error as? PostgresError)?.sqlState == "28P01"
        }
    }

    @Test func requireAgainstAServerWithoutTLSFailsNamingTLS() async throws {
        let plain = try #require(TestDatabase.plainPostgresURL, "scripts/test-postgres.sh sets WARDEN_TEST_POSTGRES_PLAIN_URL")
        for mode in ["require", "verify-full"] {
            await #expect {
                _ = try await Self.open(plain.replacingOccurrences(of: "sslmode=disable", with: "sslmode=\(mode)"))
            } throws: { error in
                "\(error)".contains("does not offer TLS") && "\(error)".contains("sslmode=\(mode)")
            }
        }
        let preferred = try await Self.open(plain.replacingOccurrences(of: "sslmode=disable", with: "sslmode=prefer"))
        #expect(try await preferred.first(preferred.statement("SELECT 1"))?.values == [.integer(1)])
        await preferred.close()
    }

    @Test func verifyFullRefusesACertificateForAnotherHost() async throws {
        await #expect {
            _ = try await Self.open(try Self.url(replacing: "@localhost:", with: "@127.0.0.1:"))
        } throws: { error in
            "\(error)".contains("TLS")
        }
        let caOnly = try await Self.open(try Self.url(replacing: "@localhost:", with: "@127.0.0.1:").replacingOccurrences(of: "verify-full", with: "verify-ca"))
        #expect(try await caOnly.first(caOnly.statement("SELECT 1"))?.values == [.integer(1)])
        await caOnly.close()
    }

    @Test func aServerThatRequiresTLSForARoleGetsIt() async throws {
        try await Self.administer(["DROP ROLE IF EXISTS warden_plain", "CREATE ROLE warden_plain LOGIN"])
        await #expect {
            _ = try await Self.open(try Self.url(replacing: "sslmode=verify-full", with: "sslmode=disable"))
        } throws: { error in
            (error as? PostgresError)?.sqlState == "28000"
        }
        let plain = try await Self.open(
            try Self.url(replacing: "sslmode=verify-full", with: "sslmode=disable").replacingOccurrences(of: "postgres://postgres@", with: "postgres://warden_plain@"))
        #expect(try await plain.first(plain.statement("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))?.values == [.boolean(false)])
        await plain.close()
    }

    @Test func aClientCertificateSignsIn() async throws {
        try await Self.administer(["DROP ROLE IF EXISTS warden_cert", "CREATE ROLE warden_cert LOGIN"])
        let settings = try TestDatabase.postgresSettings()
        let folder = try #require(settings.rootCertificatePath.map { ($0 as NSString).deletingLastPathComponent })
        let asCert = try Self.url(replacing: "postgres://postgres@", with: "postgres://warden_cert@")
        let database = try await Self.open(asCert + "&sslcert=\(folder)/client.pem&sslkey=\(folder)/client.key")
        #expect(try await database.first(database.statement("SELECT current_user"))?.values == [.text("warden_cert")])
        await database.close()
        await #expect {
            _ = try await Self.open(asCert)
        } throws: { error in
            (error as? PostgresError)?.sqlState == "28000"
        }
    }

    @Test func aUnixSocketURLWorks() async throws {
        let database = try await Self.open(try TestDatabase.postgresSettings())
        let row = try #require(try await database.first(database.statement("SELECT current_setting('unix_socket_directories'), current_setting('port')")))
        await database.close()
        var reader = row.reader()
        let folder = try reader.text().split(separator: ",").first.map(String.init) ?? ""
        let port = try reader.text()
        let socket = try await Self.open("postgres://postgres@/postgres?host=\(folder)&port=\(port)")
        #expect(try await socket.first(socket.statement("SELECT inet_server_addr() IS NULL"))?.values == [.boolean(true)])
        await socket.close()
    }

    @Test func aConnectionAttemptToNothingFailsNamingTheAddress() async throws {
        await #expect {
            _ = try await Self.open("postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
        } throws: { error in
            "\(error)".contains("127.0.0.1:1")
        }
    }

    @Test func connectionsKilledUnderThePoolAreReplaced() async throws {
        try await TestDatabase.with(.postgres) { database in
            let name = try #require(try await database.first(database.statement("SELECT current_database()"))?.values.first)
            // Fill the pool with idle connections, then have the server end every one of them.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try await database.rows(database.statement("SELECT pg_sleep(0.05)")) }
                }
                try await group.waitForAll()
            }
            guard case .text(let databaseName) = name else { throw DatabaseError.decoding("current_database() is not text") }
            try await Self.administer(["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(databaseName)' AND pid <> pg_backend_pid()"])
            for index in 0..<40 {
                var select = database.statement("SELECT ")
                select.append(bind: index)
                #expect(try await database.first(select)?.values == [.integer(Int64(index))])
            }
        }
    }

    @Test func aCancelledTaskCancelsItsStatementOnTheServer() async throws {
        try await TestDatabase.with(.postgres) { database in
            let started = ContinuousClock.now
            let sleeper = Task { try await database.rows(database.statement("SELECT pg_sleep(60) /* warden-cancel-test */")) }
            try await Task.sleep(for: .milliseconds(300))
            sleeper.cancel()
            await #expect(throws: CancellationError.self) { _ = try await sleeper.value }
            #expect(ContinuousClock.now - started < .seconds(30))
            var stillRunning = Int64(1)
            for _ in 0..<50 where stillRunning > 0 {
                let row = try await database.first(database.statement(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%warden-cancel-test%' AND state = 'active' AND pid <> pg_backend_pid()"))
                var reader = try #require(row).reader()
                stillRunning = try reader.integer()
                if stillRunning > 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(stillRunning == 0)
            #expect(try await database.first(database.statement("SELECT 2"))?.values == [.integer(2)])
        }
    }

    @Test func statementsStopAtTheirTimeout() async throws {
        var settings = try TestDatabase.postgresSettings()
        settings.statementTimeout = .milliseconds(300)
        let database = try await Self.open(settings)
        do {
            _ = try await database.rows(database.statement("SELECT pg_sleep(2)"))
            Issue.record("a 2 s statement outlived a 300 ms statement timeout")
        } catch let error as PostgresError {
            #expect(error.sqlState == "57014")
        }
        let long = try await database.read(statementTimeout: .seconds(10)) { try await $0.rows(database.statement("SELECT pg_sleep(0.5), 1")) }
        #expect(long.first?.values.last == .integer(1))
        let written = try await database.transaction(statementTimeout: .seconds(10)) { try await $0.rows(database.statement("SELECT pg_sleep(0.5), 2")) }
        #expect(written.first?.values.last == .integer(2))
        await #expect(throws: PostgresError.self) { _ = try await database.rows(database.statement("SELECT pg_sleep(2)")) }
        await database.close()
    }

    @Test func boundValuesComeBackAsSent() async throws {
        try await TestDatabase.with(.postgres) { database in
            let texts = ["", "plain", "quote ' and \" and \\ backslash", "line\nbreak\ttab", "ünïcødé ✓ 🦊", String(repeating: "long ", count: 40_000)]
            for text in texts {
                var select = database.statement("SELECT ")
                select.append(bind: text)
                select.append("::text")
                #expect(try await database.rows(select).first?.values == [.text(text)])
            }
            var select = database.statement("SELECT ")
            select.append(binds: [DatabaseValue.integer(.max), .integer(.min), .integer(0), .double(-1.5e-300), .double(.infinity), .boolean(true), .boolean(false), .null])
            let values = try #require(try await database.rows(select).first?.values)
            #expect(values == [.integer(.max), .integer(.min), .integer(0), .double(-1.5e-300), .double(.infinity), .boolean(true), .boolean(false), .null])
            let other = try await database.rows(database.statement(
                "SELECT 7::int2, 8::int4, 1.5::float4, 12.25::numeric, '{\"a\": [1]}'::jsonb, '{\"b\":2}'::json, 'c'::varchar, '00000000-0000-0000-0000-000000000001'::uuid"))
            #expect(other.first?.values == [
                .integer(7), .integer(8), .double(1.5), .double(12.25), .text(#"{"a": [1]}"#), .text(#"{"b":2}"#), .text("c"),
                .text("00000000-0000-0000-0000-000000000001"),
            ])
        }
    }

    @Test func manyRowsAndLargeCellsArrive() async throws {
        try await TestDatabase.with(.postgres) { database in
            let rows = try await database.rows(database.statement("SELECT g, repeat(chr(65 + g % 26), g % 3000) FROM generate_series(1, 20000) g"))
            #expect(rows.count == 20_000)
            for (index, row) in rows.enumerated() where index % 997 == 0 {
                let g = index + 1
                #expect(row.values == [.integer(Int64(g)), .text(String(repeating: String(UnicodeScalar(UInt8(65 + g % 26))), count: g % 3000))])
            }
            let big = try await database.rows(database.statement("SELECT repeat('y', 300000)"))
            #expect(big.first?.values == [.text(String(repeating: "y", count: 300_000))])
        }
    }

    @Test func aServerErrorNamesItsCodeAndLeavesTheConnectionUsable() async throws {
        try await TestDatabase.with(.postgres) { database in
            for _ in 0..<20 {
                do {
                    _ = try await database.rows(database.statement("SELECT 1 / 0"))
                    Issue.record("division by zero succeeded")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "22012")
                    #expect("\(error)".contains("division by zero"))
                }
            }
            await #expect(throws: PostgresError.self) {
                try await database.transaction { sql in
                    try await sql.execute(database.statement("CREATE TABLE t (id bigint PRIMARY KEY)"))
                    try await sql.execute(database.statement("INSERT INTO t VALUES (1), (1)"))
                }
            }
            let tables = try await database.rows(database.statement("SELECT count(*) FROM pg_tables WHERE tablename = 't'"))
            #expect(tables.first?.values == [.integer(0)])
        }
    }
}
