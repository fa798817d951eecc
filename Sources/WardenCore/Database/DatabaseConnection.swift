import Logging
import NIOCore
import PostgresNIO

/// One connection, lent to a `Database.read` or `Database.transaction` body.
///
/// Statements go straight to the driver with their `DatabaseValue` binds, and rows come back as
/// `DatabaseRow`s; nothing is encoded or decoded through `Codable` on the way.
public struct DatabaseConnection: Sendable {
    enum Handle: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)
    }

    let handle: Handle
    let logger: Logger

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
        case .postgres(let connection):
            _ = try await connection.query(statement.postgresQuery, logger: logger) { _ in }.get()
        }
    }
}

extension DatabaseValue {
    /// Reads a cell through the driver's decoders; `PostgresCells` reads the common forms itself.
    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int8, .int4, .int2: self = .integer(try cell.decode(Int64.self, context: .default))
        case .float8, .float4: self = .double(try cell.decode(Double.self, context: .default))
        case .numeric: self = .double(Double(try cell.decode(String.self, context: .default)) ?? .nan)
        case .bool: self = .boolean(try cell.decode(Bool.self, context: .default))
        default: self = .text(try cell.decode(String.self, context: .default))
        }
    }
}

extension SQLText {
    var postgresQuery: PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .boolean(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
