import Foundation
import Logging
import ServiceLifecycle
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

/// A graceful shutdown cancels the statements still running, so their requests end instead of
/// holding the shutdown up until their statement timeout.
@Suite(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
struct StatementCancellerTests {
    @Test func aGracefulShutdownCancelsRunningStatements() async throws {
        try await TestDatabase.with(.postgres) { database in
            var logger = Logger(label: "warden.test")
            logger.logLevel = .warning
            let group = ServiceGroup(services: [StatementCanceller(database: database)], logger: logger)
            let service = Task { try await group.run() }
            let started = ContinuousClock.now
            let sleeper = Task { try await database.rows(database.statement("SELECT pg_sleep(60)")) }
            let running = database.statement("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'")
            var seen = Int64(0)
            for _ in 0..<100 where seen == 0 {
                try await Task.sleep(for: .milliseconds(50))
                var reader = try #require(try await database.first(running)).reader()
                seen = try reader.integer()
            }
            #expect(seen == 1)
            await group.triggerGracefulShutdown()
            try await service.value
            await #expect(throws: CancellationError.self) { _ = try await sleeper.value }
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}
