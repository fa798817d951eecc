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

extension DatabaseRow {
    init(_ row: PostgresRow) throws {
        var values: [DatabaseValue] = []
        values.reserveCapacity(row.count)
        for cell in row {
            values.append(try DatabaseValue(cell))
        }
        self.init(values)
    }
}

extension DatabaseValue {
    /// Reads a cell; the binary forms of the types Warden stores are read straight from its bytes.
    init(_ cell: PostgresCell) throws {
        guard var bytes = cell.bytes else {
            self = .null
            return
        }
        switch (cell.format, cell.dataType) {
        case (.binary, .text), (.binary, .varchar), (.binary, .name):
            self = .text(bytes.readString(length: bytes.readableBytes) ?? "")
        case (.binary, .int8) where bytes.readableBytes == 8:
            self = .integer(bytes.readInteger(as: Int64.self)!)
        case (.binary, .bool) where bytes.readableBytes == 1:
            self = .boolean(bytes.readInteger(as: UInt8.self)! != 0)
        case (_, .int8), (_, .int4), (_, .int2): self = .integer(try cell.decode(Int64.self, context: .default))
        case (_, .float8), (_, .float4): self = .double(try cell.decode(Double.self, context: .default))
        case (_, .numeric): self = .double(Double(try cell.decode(String.self, context: .default)) ?? .nan)
        case (_, .bool): self = .boolean(try cell.decode(Bool.self, context: .default))
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
