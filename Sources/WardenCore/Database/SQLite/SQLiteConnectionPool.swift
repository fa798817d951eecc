/// A fixed set of SQLite connections handed out one caller at a time.
actor SQLiteConnectionPool {
    private var idle: [SQLiteConnection]
    private var all: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(connections: [SQLiteConnection]) {
        self.idle = connections
        self.all = connections
    }

    func checkout() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func checkin(_ connection: SQLiteConnection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Runs `body` with a connection of its own, returning the connection afterwards whatever happens.
    nonisolated func withConnection<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = await checkout()
        do {
            let result = try await body(connection)
            await checkin(connection)
            return result
        } catch {
            await checkin(connection)
            throw error
        }
    }

    func close() async {
        for connection in all {
            await connection.close()
        }
        all = []
        idle = []
    }
}
