/// One connection, lent to a `Database.read` or `Database.transaction` body.
///
/// Statements go straight to the driver with their `DatabaseValue` binds, and rows come back as
/// `DatabaseRow`s; nothing is encoded or decoded through `Codable` on the way.
public struct DatabaseConnection: Sendable {
    enum Handle: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresLease)
    }

    let handle: Handle
    /// Whether the connection was lent inside a transaction (`Database.transaction`).
    let isInTransaction: Bool

    /// Runs a statement and returns its rows.
    public func rows(_ statement: SQLText) async throws -> [DatabaseRow] {
        switch handle {
        case .sqlite(let connection):
            return try await connection.rows(statement.sql, statement.binds)
        case .postgres:
            return try await rowBatch(statement).databaseRows()
        }
    }

    /// Runs a statement and returns its first row, if any.
    public func first(_ statement: SQLText) async throws -> DatabaseRow? {
        try await rows(statement).first
    }

    /// Runs a statement for its effect.
    public func execute(_ statement: SQLText) async throws {
        switch handle {
        case .sqlite(let connection):
            _ = try await connection.rows(statement.sql, statement.binds)
        case .postgres(let lease):
            try await lease.execute(statement.sql, statement.binds)
        }
    }
}
