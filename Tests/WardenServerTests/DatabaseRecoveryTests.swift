import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

/// A running server whose PostgreSQL connections are all ended by the database (as a restart or a
/// failover ends them) goes on answering: the next requests get new connections.
@Suite(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
struct DatabaseRecoveryTests {
    @Test func requestsAfterTheDatabaseEndedEveryConnectionSucceed() async throws {
        try await TestServer.run(.postgres) { server in
            let viewer = try await server.key(.viewer)
            let paths = [
                "/api/private/lifecycle_management/action_events", "/api/private/lifecycle_management/workflow_tasks",
                "/api/private/lifecycle_management/job_events", "/api/private/lifecycle_management/events", "/readyz",
            ]
            // Warm the pool with several connections at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for path in paths + paths {
                    group.addTask {
                        let status = try await server.request(.get, path, key: viewer).status
                        #expect(status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let row = try #require(try await server.database.first(server.database.statement("SELECT current_database()")))
            var reader = row.reader()
            let name = try reader.text()
            try await TestDatabase.runOnMaintenance(
                try TestDatabase.postgresSettings(),
                ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()"])
            for round in 0..<6 {
                for path in paths {
                    let response = try await server.request(.get, path, key: viewer)
                    #expect(response.status == .ok, "round \(round), \(path): \(response.text)")
                }
            }
        }
    }
}
