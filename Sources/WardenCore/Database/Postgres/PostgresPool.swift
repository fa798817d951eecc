import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import NIOConcurrencyHelpers
import Synchronization
import _ConnectionPoolModule

/// PostgreSQL through PostgresNIO's pooled client, configured from `PostgresSettings`.
///
/// PostgresNIO owns the connections: it opens them as callers need them up to the pool size,
/// checks idle ones with a keep-alive query, and drops those the server closed. On top of it this
/// type adds what Warden promises:
/// - a lease whose first statement fails because its connection was lost (a restart, a failover,
///   `pg_terminate_backend`) is run again on another connection, after a pause that grows by
///   5 ms each time; after a restart every pooled connection may be dead, so this goes on until
///   one answers, at most once per pooled connection and once more (a connection that failed is
///   dropped from the pool);
/// - a statement whose task is cancelled is cancelled on the server too, with
///   `pg_cancel_backend` sent over a connection of its own, and its connection is closed rather
///   than reused, so a late cancel cannot reach another statement.
final class PostgresPool: Sendable {
    let settings: PostgresSettings
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let connectionConfiguration: PostgresConnection.Configuration
    private let logger: Logger
    /// The server process of each connection in use, read once per connection.
    private let backendIDs = Mutex<[PostgresConnection.ID: Int32]>([:])
    /// The leases running a statement, by backend process id.
    private let running = Mutex<[Int32: PostgresLease]>([:])
    /// When a pooled connection was last found lost.
    private let lastConnectionLoss = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(settings: PostgresSettings, logger: Logger) throws(DatabaseError) {
        self.settings = settings
        self.logger = logger
        self.connectionConfiguration = try settings.connectionConfiguration()
        let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// Connects once outside the pool, so that a server that cannot be reached, offers no TLS or
    /// refuses the sign-in fails at once with its own error, not after the pool has retried for a
    /// minute; returns whether that connection was encrypted.
    func probe() async throws -> Bool {
        do {
            let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
            do {
                var encrypted = false
                for try await row in try await connection.query("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)", logger: logger) {
                    encrypted = try row.decode(Bool.self)
                }
                try? await connection.close()
                return encrypted
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as PSQLError {
            throw PostgresError(error, settings: settings)
        }
    }

    /// Runs `SELECT 1` on a pooled connection, or fails once `limit` has passed: while the server
    /// cannot be reached, PostgresNIO's pool keeps a lease waiting for up to a minute.
    func ping(within limit: Duration) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.withLease { try await $0.execute("SELECT 1") }
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else {
                throw PostgresError.connection("\(settings.redacted) gave no connection within \(limit)")
            }
        }
    }

    /// Runs `body` with a connection of its own; see the type's notes on retries and cancellation.
    func withLease<T: Sendable>(_ body: (PostgresLease) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let body = UncheckedLeaseBody(run: body)
            var attempts = 0
            while true {
                attempts += 1
                let mayRetry = attempts <= settings.poolSize
                let touched = NIOLockedValueBox(false)
                let use: @Sendable (PostgresConnection) async throws -> T = { connection in
                    let lease = PostgresLease(connection: connection, backendID: try await self.backendID(of: connection), pool: self)
                    defer { touched.withLockedValue { $0 = lease.completedStatements > 0 } }
                    do {
                        let result = try await body.run(lease)
                        if lease.isCancelled { try? await connection.close() }
                        return result
                    } catch {
                        if lease.isCancelled { try? await connection.close() }
                        throw error
                    }
                }
                do {
                    if attempts > 1 || isRecovering {
                        return try await withConnection(waitingAtMost: Self.recoveringLeaseWait, use)
                    }
                    return try await client.withConnection(use)
                } catch let error as ConnectionPoolError {
                    if error == .requestCancelled || Task.isCancelled { throw CancellationError() }
                    throw PostgresError.connection(
                        error == .poolShutdown ? "the database has been closed" : "no connection to \(settings.redacted) could be made for a minute; see the log for why")
                } catch {
                    if error is PSQLError, Task.isCancelled { throw CancellationError() }
                    let failure = postgresError(error)
                    guard mayRetry, !touched.withLockedValue({ $0 }), let lost = failure as? PostgresError, lost.isConnectionLoss else { throw failure }
                    lastConnectionLoss.withLockedValue { $0 = .now }
                    logger.notice("a PostgreSQL connection was lost before its first statement; running it again on another", metadata: ["error": "\(lost)"])
                    // The pool hears of a closed connection on its event loop; asked again at once,
                    // it may lend the same one. A short, growing pause lets it drop the dead ones.
                    try await Task.sleep(for: .milliseconds(5 * attempts))
                }
            }
        }
    }

    /// Warden's error for a lease that failed: PostgresNIO's errors mapped, and a lease that got no
    /// connection in time reported as a connection failure.
    private func postgresError(_ error: any Error) -> any Error {
        switch error {
        case let error as PSQLError: PostgresError(error, settings: settings)
        case is LeaseWaitExpired: PostgresError.connection("no pooled connection came within \(Self.recoveringLeaseWait) after a connection was lost")
        default: error
        }
    }

    /// How long a lease may wait for a connection while the pool recovers from lost connections.
    /// PostgresNIO 1.33's pool can leave a lease waiting forever when every connection closes
    /// while it waits (a restart); asked again, the pool lends or opens one.
    static let recoveringLeaseWait: Duration = .seconds(2)

    /// Whether a connection was lost in the last 30 s.
    private var isRecovering: Bool {
        lastConnectionLoss.withLockedValue { $0.map { ContinuousClock.now - $0 < .seconds(30) } ?? false }
    }

    /// `client.withConnection`, except that a lease not lent within `limit` is given up
    /// (`LeaseWaitExpired`); once lent, `body` runs as long as it needs.
    private func withConnection<T: Sendable>(
        waitingAtMost limit: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lent = NIOLockedValueBox(false)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    lent.withLockedValue { $0 = true }
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: limit)
                guard lent.withLockedValue({ $0 }) else { throw LeaseWaitExpired() }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// The server process id of `connection`, asked once per connection.
    private func backendID(of connection: PostgresConnection) async throws -> Int32 {
        if let known = backendIDs.withLock({ $0[connection.id] }) { return known }
        // Asked once per connection, so the close callback below is registered once per connection.
        let asked: EventLoopFuture<PostgresQueryResult> = connection.query("SELECT pg_backend_pid()", logger: logger)
        let promise = connection.closeFuture.eventLoop.makePromise(of: PostgresQueryResult.self)
        asked.cascade(to: promise)
        connection.closeFuture.whenComplete { [weak self] _ in
            promise.fail(PostgresError.connection("the connection closed before it said which server process it is"))
            self?.connectionClosed(connection.id)
        }
        let rows = try await promise.futureResult.get().rows
        guard let id = try rows.first?.decode(Int32.self) else { throw PostgresError.protocolViolation("pg_backend_pid() returned no row") }
        backendIDs.withLock { $0[connection.id] = id }
        if connection.isClosed { connectionClosed(connection.id) }
        return id
    }

    /// Forgets a closed connection's process, and fails the statement running on it.
    private func connectionClosed(_ connection: PostgresConnection.ID) {
        guard let id = backendIDs.withLock({ $0.removeValue(forKey: connection) }) else { return }
        running.withLock { $0[id] }?.connectionClosed()
    }

    func started(_ lease: PostgresLease) {
        running.withLock { $0[lease.backendID] = lease }
    }

    func finished(_ lease: PostgresLease) {
        running.withLock { _ = $0.removeValue(forKey: lease.backendID) }
    }

    /// Asks the server to cancel what backend `backendID` runs, over a connection of its own.
    func cancelOnServer(backendID: Int32) {
        let configuration = connectionConfiguration
        let logger = logger
        Task {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: -Int(backendID), logger: logger)
                _ = try? await connection.query("SELECT pg_cancel_backend(\(backendID))", logger: logger)
                try? await connection.close()
            } catch {
                logger.warning("could not cancel a PostgreSQL statement", metadata: ["backend": "\(backendID)", "error": "\(error)"])
            }
        }
    }

    /// Cancels every running statement, e.g. when the server shuts down.
    func cancelRunning() {
        for lease in running.withLock({ Array($0.values) }) {
            lease.cancel()
        }
    }

    /// Closes every connection.
    func close() async {
        runner.cancel()
        await runner.value
    }
}

/// A lease waited longer than the pool's recovery allows.
private struct LeaseWaitExpired: Error {}

/// The caller's body, which runs only while `withLease` waits for it.
private struct UncheckedLeaseBody<T>: @unchecked Sendable {
    let run: (PostgresLease) async throws -> T
}
