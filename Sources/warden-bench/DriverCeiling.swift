import Logging
import PostgresNIO
import WardenCore

/// The same SQL through PostgresNIO alone, as an application with no layer of its own would run
/// it: the pooled client configured from the same URL, rows read with the async sequence, each
/// cell's bytes looked at. Warden's PostgreSQL figures are divided by these.
struct DriverCeiling {
    private let client: PostgresClient
    private let runner: Task<Void, Never>

    init(settings: PostgresSettings, logger: Logger) throws {
        client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        let client = client
        runner = Task { await client.run() }
    }

    /// Runs `statement` and reads every cell of every row; returns the rows and bytes read.
    @discardableResult
    func fetch(_ statement: SQLText) async throws -> (rows: Int, bytes: Int) {
        var rows = 0
        var bytes = 0
        for try await row in try await client.query(PostgresQuery(statement)) {
            for cell in row { bytes += cell.bytes?.readableBytes ?? 0 }
            rows += 1
        }
        return (rows, bytes)
    }

    func close() async {
        runner.cancel()
        await runner.value
    }
}
