import Foundation
import Logging
import WardenCore

/// Databases for storage tests: SQLite always, PostgreSQL when `WARDEN_TEST_POSTGRES_URL` is set.
///
/// Each test gets a database of its own: a new SQLite file, or a new PostgreSQL database that is
/// dropped afterwards.
public enum TestDatabase {
    /// The environment variable that names a PostgreSQL server for tests.
    public static let postgresVariable = "WARDEN_TEST_POSTGRES_URL"

    /// The kinds to run storage tests on.
    public static var kinds: [DatabaseKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A PostgreSQL server without TLS (`scripts/test-postgres.sh` starts one beside the first).
    public static var plainPostgresURL: String? {
        ProcessInfo.processInfo.environment["WARDEN_TEST_POSTGRES_PLAIN_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The settings `WARDEN_TEST_POSTGRES_URL` names.
    public static func postgresSettings() throws -> PostgresSettings {
        guard case .postgres(let settings) = try DatabaseConfiguration.parse(postgresURL ?? "") else {
            throw DatabaseError.badURL("\(postgresVariable) must be a postgres:// URL")
        }
        return settings
    }

    /// The test databases' logger: warnings, or everything PostgresNIO says when
    /// `WARDEN_TEST_DEBUG` is set (to see what a connection did before a test failed).
    static var logger: Logger {
        var logger = Logger(label: "warden.test")
        logger.logLevel = ProcessInfo.processInfo.environment["WARDEN_TEST_DEBUG"] != nil ? .trace : .warning
        return logger
    }

    /// Runs `body` with a fresh, migrated database of `kind`, and removes it afterwards.
    public static func with<T>(
        _ kind: DatabaseKind,
        migrations: [Migration] = Database.coreMigrations,
        _ body: (Database) async throws -> T
    ) async throws -> T {
        let (configuration, cleanup) = try await make(kind)
        let database = try await Database.open(configuration, logger: logger)
        do {
            try await database.migrate(migrations)
            let result = try await body(database)
            await database.close()
            try await cleanup()
            return result
        } catch {
            await database.close()
            try? await cleanup()
            throw error
        }
    }

    /// A configuration for a new, empty database of `kind`, and how to remove it.
    public static func make(_ kind: DatabaseKind) async throws -> (DatabaseConfiguration, @Sendable () async throws -> Void) {
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-test-\(UUID().uuidString)")
            let path = folder.appendingPathComponent("warden.sqlite").path
            return (.sqlite(path: path), { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            let server = try postgresSettings()
            let name = "warden_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            try await runOnMaintenance(server, ["CREATE DATABASE \(name)"])
            var settings = server
            settings.database = name
            return (.postgres(settings), {
                try await runOnMaintenance(server, ["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
            })
        }
    }

    /// Runs `statements` in order on one connection to the database the server's URL names
    /// (`CREATE DATABASE` cannot run in the new one), as that URL's user.
    public static func runOnMaintenance(_ server: PostgresSettings, _ statements: [String]) async throws {
        let admin = try await Database.open(.postgres(server), logger: logger)
        do {
            try await admin.read { connection in
                for sql in statements { try await connection.execute(admin.statement(sql)) }
            }
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }
}
