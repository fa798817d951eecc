import Foundation
import Logging
import Testing
import WardenCore
import WardenTestSupport

/// Warden's own PostgreSQL client against the real server `WARDEN_TEST_POSTGRES_URL` names, started
/// by `scripts/test-postgres.sh`, whose pg_hba.conf makes three roles sign in with a password.
@Suite(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
struct PostgresConnectionTests {
    static var logger: Logger {
        var logger = Logger(label: "warden.test")
        logger.logLevel = .warning
        return logger
    }

    static func server() throws -> (host: String, port: Int, username: String, password: String?, database: String) {
        guard case .postgres(let host, let port, let username, let password, let database) = try DatabaseConfiguration.parse(TestDatabase.postgresURL ?? "") else {
            throw DatabaseError.badURL("\(TestDatabase.postgresVariable) must be a postgres:// URL")
        }
        return (host, port, username, password, database)
    }

    @Test func signsInWithPasswordMD5AndSCRAM() async throws {
        let server = try Self.server()
        let admin = try await Database.open(.postgres(host: server.host, port: server.port, username: server.username, password: server.password, database: server.database), logger: Self.logger)
        for (role, encryption) in [("warden_auth_password", "scram-sha-256"), ("warden_auth_md5", "md5"), ("warden_auth_scram", "scram-sha-256")] {
            try await admin.transaction { sql in
                try await sql.execute(admin.statement("SET LOCAL password_encryption = '\(encryption)'"))
                try await sql.execute(admin.statement("DROP ROLE IF EXISTS \(role)"))
                try await sql.execute(admin.statement("CREATE ROLE \(role) LOGIN PASSWORD 'pa55 wörd'"))
            }
        }
        await admin.close()

        for role in ["warden_auth_password", "warden_auth_md5", "warden_auth_scram"] {
            let database = try await Database.open(.postgres(host: server.host, port: server.port, username: role, password: "pa55 wörd", database: server.database), logger: Self.logger)
            let rows = try await database.rows(database.statement("SELECT current_user"))
            #expect(rows.first?.values == [.text(role)])
            await database.close()

            do {
                let wrong = try await Database.open(.postgres(host: server.host, port: server.port, username: role, password: "wrong", database: server.database), logger: Self.logger)
                await wrong.close()
                Issue.record("\(role) signed in with a wrong password")
            } catch let error as PostgresError {
                #expect(error.sqlState == "28P01", "\(role): \(error)")
            }
            await #expect {
                _ = try await Database.open(.postgres(host: server.host, port: server.port, username: role, password: nil, database: server.database), logger: Self.logger)
            } throws: { error in
                "\(error)".contains("password")
            }
        }
    }

    @Test func aServerThatIsNotThereFailsNamingItsAddress() async throws {
        await #expect {
            _ = try await Database.open(.postgres(host: "127.0.0.1", port: 1, username: "postgres", password: nil, database: "postgres"), logger: Self.logger)
        } throws: { error in
            "\(error)".contains("cannot connect to 127.0.0.1:1")
        }
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
            var nan = database.statement("SELECT ")
            nan.append(bind: Double.nan)
            guard case .double(let double) = try await database.rows(nan).first?.values.first else {
                Issue.record("NaN did not come back as a double")
                return
            }
            #expect(double.isNaN)
        }
    }

    @Test func manyRowsAndCellsLargerThanOneReadArrive() async throws {
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
