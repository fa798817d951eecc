import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One pooled PostgreSQL connection lent to one caller: runs its statements, and cancels the one
/// running on the server when the caller's task is cancelled.
final class PostgresLease: Sendable {
    let connection: PostgresConnection
    /// The connection's server process, which `pg_cancel_backend` names.
    let backendID: Int32
    private let pool: PostgresPool
    private let state = Mutex(State())

    private struct State {
        var completedStatements = 0
        var isCancelled = false
        /// Fails the statement being awaited, when the connection closes under it.
        var failOnClose: (@Sendable () -> Void)?
    }

    init(connection: PostgresConnection, backendID: Int32, pool: PostgresPool) {
        self.connection = connection
        self.backendID = backendID
        self.pool = pool
    }

    /// Statements that ran to the end on this lease, successfully or with a server error.
    var completedStatements: Int { state.withLock { $0.completedStatements } }

    /// Whether a cancellation was sent for this lease; its connection is then not reused.
    var isCancelled: Bool { state.withLock { $0.isCancelled } }

    private static let logger = Logger(label: "warden.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs one statement and returns its rows, copied into one buffer as they arrive (in the
    /// connection's event loop, while the bytes are hot in its cache).
    func cells(_ sql: String, _ binds: [DatabaseValue]) async throws -> PostgresCells {
        let collector = RowCollector()
        let query = PostgresQuery(sql, binds)
        try await run {
            _ = try await statementResult(connection.query(query, logger: Self.logger) { try collector.append($0) })
        }
        return collector.cells
    }

    /// Runs one statement and hands its rows to `body` in batches of up to `rowsPerBatch`, as they
    /// arrive: PostgresNIO's row sequence holds the server back while `body` works. If `body`
    /// throws, the statement is cancelled on the server rather than read to its end.
    func stream(_ sql: String, _ binds: [DatabaseValue], rowsPerBatch: Int, _ body: (PostgresCells) async throws -> Void) async throws {
        let query = PostgresQuery(sql, binds)
        try await run {
            var cells = PostgresCells()
            do {
                for try await row in try await connection.query(query, logger: Self.logger) {
                    try cells.append(row)
                    if cells.count == 1 { cells.reserve(rows: rowsPerBatch) }
                    if cells.count == rowsPerBatch {
                        try await body(cells)
                        cells = PostgresCells()
                    }
                }
            } catch let error as PSQLError {
                throw error
            } catch {
                cancel()
                throw error
            }
            if cells.count > 0 { try await body(cells) }
        }
    }

    /// Runs `body` with `timeout` as the statement timeout of this connection, then the default again.
    func withStatementTimeout<T>(_ timeout: Duration?, _ body: () async throws -> T) async throws -> T {
        guard let timeout else { return try await body() }
        try await execute("SET statement_timeout = \(timeout.milliseconds)")
        do {
            let result = try await body()
            try await execute("RESET statement_timeout")
            return result
        } catch {
            try? await execute("RESET statement_timeout")
            throw error
        }
    }

    /// Runs one statement for its effect.
    func execute(_ sql: String, _ binds: [DatabaseValue] = []) async throws {
        let query = PostgresQuery(sql, binds)
        try await run {
            _ = try await statementResult(connection.query(query, logger: Self.logger))
        }
    }

    /// Streams `rows` into `table` by `COPY … FROM STDIN` in its text format.
    func copy(into table: String, columns: [String], rows: some Collection<[DatabaseValue]> & Sendable) async throws {
        try await run {
            try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                var buffer = ByteBuffer()
                for row in rows {
                    CopyText.appendRow(row, to: &buffer)
                    if buffer.readableBytes >= CopyText.messageSize {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
    }

    /// Runs `operation` as this lease's statement: cancelled on the server with the caller's task,
    /// and its PostgresNIO error turned into Warden's.
    private func run(_ operation: () async throws -> Void) async throws {
        try Task.checkCancellation()
        // The pool may lend a connection the server has just closed, before the pool hears of it;
        // PostgresNIO would never complete a statement written to it.
        guard !connection.isClosed else { throw PostgresError.connection("the connection was closed before the statement was sent") }
        pool.started(self)
        defer { pool.finished(self) }
        do {
            try await withTaskCancellationHandler(operation: operation, onCancel: cancel)
            state.withLock { $0.completedStatements += 1 }
        } catch let error as PSQLError {
            if isCancelled { throw CancellationError() }
            let mapped = PostgresError(error, settings: pool.settings)
            if case .server = mapped, !mapped.isConnectionLoss { state.withLock { $0.completedStatements += 1 } }
            throw mapped
        }
    }

    /// The result of a statement's `future`, or a connection error if the connection closes
    /// first: PostgresNIO never completes a statement written to a channel that has just closed
    /// (a restart ends every connection at once). The pool calls `connectionClosed()`.
    private func statementResult<Value: Sendable>(_ future: EventLoopFuture<Value>) async throws -> Value {
        defer { state.withLock { $0.failOnClose = nil } }
        return try await withCheckedThrowingContinuation { continuation in
            let once = OnceResumable(continuation)
            state.withLock { $0.failOnClose = { once.resume(with: .failure(PostgresError.connection("the connection closed while its statement ran"))) } }
            future.whenComplete { once.resume(with: $0) }
            if connection.isClosed { connectionClosed() }
        }
    }

    /// Fails the statement being awaited, if any: its connection has closed.
    func connectionClosed() {
        state.withLock { $0.failOnClose }?()
    }

    /// Cancels the running statement on the server, once.
    func cancel() {
        let first = state.withLock { state in
            defer { state.isCancelled = true }
            return !state.isCancelled
        }
        if first { pool.cancelOnServer(backendID: backendID) }
    }
}

/// Gathers rows from PostgresNIO's row callback, which runs on the connection's event loop before
/// the query's future completes: the rows are handed over once, not with a suspension per row.
private final class RowCollector: @unchecked Sendable {
    private(set) var cells = PostgresCells()

    func append(_ row: PostgresRow) throws {
        try cells.append(row)
    }
}

extension PostgresQuery {
    /// A statement with its binds as PostgresNIO's typed bindings.
    public init(_ statement: SQLText) {
        self.init(statement.sql, statement.binds)
    }

    /// `sql` with `binds` as PostgresNIO's typed bindings: int8, float8, text, bool, or NULL.
    init(_ sql: String, _ binds: [DatabaseValue]) {
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
        self.init(unsafeSQL: sql, binds: bindings)
    }
}

/// A continuation that the first of several results resumes; the rest are dropped.
private final class OnceResumable<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Value, any Error>) {
        continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }?.resume(with: result)
    }
}
