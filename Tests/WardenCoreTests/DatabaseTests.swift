import Testing
import WardenCore
import WardenTestSupport

@Suite struct DatabaseTests {
    @Test func aNewSQLiteDatabaseHasSixteenKiBPagesAndAWriteAheadLog() async throws {
        try await TestDatabase.with(.sqlite) { database in
            try await database.transaction { try await $0.execute(database.statement("CREATE TABLE notes (body TEXT)")) }
            var pageSize = try #require(try await database.first(database.statement("PRAGMA page_size"))).reader()
            #expect(try pageSize.integer() == 16_384)
            var journal = try #require(try await database.first(database.statement("PRAGMA journal_mode"))).reader()
            #expect(try journal.text() == "wal")
        }
    }
}
