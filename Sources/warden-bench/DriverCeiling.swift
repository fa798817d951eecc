import Foundation
import Logging
import NIOCore
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

    /// The time PostgresNIO's `copyFrom` takes to load each table's rows, given as files in COPY's
    /// text format (`files[table]`), into empty tables made `LIKE` them (indexes included), in
    /// one transaction that is rolled back.
    func copySeconds(files: [(table: String, path: String)]) async throws -> Double {
        try await client.withConnection { connection in
            let logger = Logger(label: "warden-bench", factory: { _ in SwiftLogNoOpLogHandler() })
            try await connection.query("BEGIN", logger: logger)
            let start = ContinuousClock.now
            for (table, path) in files {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE ceiling_\(table) (LIKE \(table) INCLUDING ALL)"), logger: logger)
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                try await connection.copyFrom(table: "ceiling_\(table)", logger: logger) { writer in
                    while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                        try await writer.write(ByteBuffer(data: chunk))
                    }
                }
            }
            let seconds = (ContinuousClock.now - start).inSeconds
            try await connection.query("ROLLBACK", logger: logger)
            return seconds
        }
    }

    func close() async {
        runner.cancel()
        await runner.value
    }
}
