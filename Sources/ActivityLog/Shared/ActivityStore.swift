import NIOCore
import WardenCore

/// One activity log table in the database: batched upserts for the runner, keyset pages, lookups
/// and constant-memory CSV exports.
public struct ActivityStore<Record: ActivityRecord>: Sendable {
    let database: Database
    /// The stored columns, as a SELECT lists them.
    let selectList = Record.columns.joined(separator: ", ")
    private let jsonWriter = Record.jsonWriter

    public init(database: Database) {
        self.database = database
    }

    static var upsertStatement: Upsert { Upsert(table: Record.table, columns: Record.columns, key: Record.keyColumns, insertsSmallBatches: true) }

    /// Inserts records, or updates those whose key exists: one transaction, few multi-row statements.
    public func upsert(_ records: [Record]) async throws {
        guard !records.isEmpty else { return }
        try await database.transaction { connection in try await upsert(records, on: connection) }
    }

    /// Records turned into binds at a time; the next chunk is turned while the driver writes this one.
    static var upsertChunkSize: Int { 1_000 }

    /// Upserts records within a transaction the caller holds.
    public func upsert(_ records: [Record], on connection: DatabaseConnection) async throws {
        var writing: Task<Void, any Error>?
        for chunk in records.chunks(of: Self.upsertChunkSize) {
            let rows = chunk.map(\.databaseValues)
            try await writing?.value
            writing = Task { try await connection.execute(Self.upsertStatement, rows: rows) }
        }
        try await writing?.value
    }

    /// One page of records; `scope` narrows the list with a condition of the caller's own.
    public func list(_ request: ListRequest, signer: PageTokenSigner, scope: ((inout SQLText) -> Void)? = nil) async throws -> ListPage<Record> {
        let rows = try await database.rows(try select(request, scope: scope))
        return try request.page(rows, signer: signer, decode: Self.decode)
    }

    /// One page as its JSON body, written from the rows as the driver returned them. The JSON columns
    /// in `hiding` are left out of the page and are not even read.
    public func listBody(
        _ request: ListRequest, signer: PageTokenSigner, hiding: Set<String> = [], scope: ((inout SQLText) -> Void)? = nil
    ) async throws -> ByteBuffer {
        let rows = try await database.rowBatch(try select(request, hiding: hiding, scope: scope))
        let window = request.window(rows, signer: signer)
        return try jsonWriter.page(rows, rows: window.rows, firstColumn: 0, nextPageToken: window.nextPageToken, hasMore: window.hasMore)
    }

    private func select(_ request: ListRequest, hiding: Set<String> = [], scope: ((inout SQLText) -> Void)? = nil) throws -> SQLText {
        let columns = hiding.isEmpty ? selectList : Record.columns.map { hiding.contains($0) ? "NULL" : $0 }.joined(separator: ", ")
        var select = database.statement("SELECT \(columns)\(request.sortKeyColumns) FROM \(Record.table)")
        try request.appendClauses(to: &select, scope: scope)
        return select
    }

    /// Rows per batch while exporting: each batch is written as CSV while the next is read.
    /// 10,000 rows hold a few MiB.
    public static var exportBatchSize: Int { 10_000 }

    /// Streams every record the request selects as CSV (header first), one batch of `request.pageSize`
    /// rows at a time (`Database.readAll`), so memory stays constant whatever the row count, and
    /// `write` applies the consumer's backpressure. A batch is turned into CSV in a task of its own
    /// while the next one is read. Returns the number of rows.
    public func exportCSV(_ request: ListRequest, write: (ByteBuffer) async throws -> Void) async throws -> Int {
        var header = ByteBuffer()
        CSVWriter.appendRow(Record.csvHeader, to: &header)
        try await write(header)
        var total = 0
        var formatting: [Task<ByteBuffer, Never>] = []
        try await database.readAll(request, select: { [self] in try select($0) }) { rows, range in
            formatting.append(Task {
                var buffer = ByteBuffer()
                rows.appendCSV(range, columns: Record.csvColumns, to: &buffer)
                return buffer
            })
            if formatting.count > 2 { try await write(await formatting.removeFirst().value) }
            total += range.count
        }
        for task in formatting { try await write(await task.value) }
        return total
    }

    /// The record whose key columns hold `key`, in `Record.keyColumns` order; nil when there is none.
    public func find(key: [String]) async throws -> Record? {
        try await database.read { try await find(key: key, on: $0) }
    }

    /// The record with this key, read on a connection the caller holds.
    public func find(key: [String], on connection: DatabaseConnection) async throws -> Record? {
        var select = database.statement("SELECT \(selectList) FROM \(Record.table) WHERE ")
        for (index, (column, value)) in zip(Record.keyColumns, key).enumerated() {
            select.append(index == 0 ? "\(column) = " : " AND \(column) = ")
            select.append(bind: value)
        }
        return try await connection.first(select).map(Self.decode)
    }

    /// Whether the table has no rows.
    public func isEmpty() async throws -> Bool {
        try await database.first(database.statement("SELECT 1 FROM \(Record.table) LIMIT 1")) == nil
    }

    static func decode(_ row: DatabaseRow) throws -> Record {
        var reader = row.reader()
        return try Record(reading: &reader)
    }
}
