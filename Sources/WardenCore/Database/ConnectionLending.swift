/// A pool that lends each of its connections to one caller at a time.
protocol ConnectionLending: Actor {
    associatedtype Connection: Sendable
    func checkout() async throws -> Connection
    func checkin(_ connection: Connection) async
}

extension ConnectionLending {
    /// Runs `body` with a connection of its own, returning the connection afterwards whatever happens.
    nonisolated func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await checkout()
        do {
            let result = try await body(connection)
            await checkin(connection)
            return result
        } catch {
            await checkin(connection)
            throw error
        }
    }
}
