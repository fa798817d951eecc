import Logging

/// PostgreSQL connections, opened as callers need them up to `maximum` and kept for the next
/// caller. A connection that broke, or that a caller left inside a transaction, is closed instead
/// of being handed on; a broken one is logged.
actor PostgresConnectionPool: ConnectionLending {
    private let maximum: Int
    private let logger: Logger
    private let open: @Sendable () async throws -> PostgresConnection
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isClosed = false

    init(maximum: Int, logger: Logger, open: @escaping @Sendable () async throws -> PostgresConnection) {
        self.maximum = maximum
        self.logger = logger
        self.open = open
    }

    func checkout() async throws -> PostgresConnection {
        while true {
            guard !isClosed else { throw PostgresError.connection("the database has been closed") }
            if let connection = idle.popLast() { return connection }
            if opened < maximum {
                opened += 1
                do {
                    return try await open()
                } catch {
                    opened -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    func checkin(_ connection: PostgresConnection) async {
        if connection.isReusable, !isClosed {
            idle.append(connection)
        } else {
            if connection.isBroken { logger.warning("a PostgreSQL connection was lost; the pool opens a new one when needed") }
            opened -= 1
            await connection.close()
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Closes the idle connections; those in use close when they come back.
    func close() async {
        isClosed = true
        for connection in idle {
            await connection.close()
        }
        opened -= idle.count
        idle = []
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
