import ServiceLifecycle
import WardenCore

/// A service that, when a graceful shutdown begins, cancels the database statements still running,
/// so that requests waiting on a long statement end (their transactions roll back) instead of
/// holding the shutdown up.
public struct StatementCanceller: Service {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func run() async throws {
        try await gracefulShutdown()
        database.cancelRunningStatements()
    }
}
