import Foundation
import Testing
import WardenCore
import WardenTestSupport

@Suite struct MigrationTests {
    @Test(arguments: TestDatabase.kinds)
    func migrationsApplyOnceInOrder(kind: DatabaseKind) async throws {
        let extra = Migration("test.0001_widgets", ["CREATE TABLE widgets (id TEXT PRIMARY KEY, size {bigint}, ok {bool})"])
        try await TestDatabase.with(kind) { database in
            #expect(try await database.migrate(Database.coreMigrations + [extra]) == ["test.0001_widgets"])
            #expect(try await database.migrate(Database.coreMigrations + [extra]) == [])
            try await database.transaction { try await $0.execute(database.statement("INSERT INTO widgets (id, size, ok) VALUES ('a', 1, \(kind == .postgres ? "true" : "1"))")) }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aFailedMigrationLeavesNoTrace(kind: DatabaseKind) async throws {
        let broken = Migration("test.0002_broken", ["CREATE TABLE half (id TEXT)", "THIS IS NOT SQL"])
        try await TestDatabase.with(kind) { database in
            await #expect(throws: (any Error).self) { try await database.migrate([broken]) }
            let tables = try await database.rows(database.statement(kind == .postgres
                    ? "SELECT tablename AS name FROM pg_tables WHERE tablename = 'half'"
                    : "SELECT name FROM sqlite_master WHERE name = 'half'"))
            #expect(tables.isEmpty)
        }
    }

    @Test func postgresRunsInCI() {
        // CI sets WARDEN_TEST_POSTGRES_URL so that every storage test also runs on PostgreSQL.
        if Environment.isCI {
            #expect(TestDatabase.kinds.contains(.postgres), "CI must set \(TestDatabase.postgresVariable)")
        }
    }
}

enum Environment {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
