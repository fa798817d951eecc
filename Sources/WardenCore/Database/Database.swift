import Foundation
import Logging
import NIOCore
import NIOPosix

/// Warden's database: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, behind one interface.
///
/// Reads run on a pool of connections. Writes run in transactions: on SQLite through the one writer
/// connection with `BEGIN IMMEDIATE`, so writers queue instead of failing with `SQLITE_BUSY`.
public final class Database: Sendable {
    public let kind: DatabaseKind
    public let configuration: DatabaseConfiguration
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(readers: SQLiteConnectionPool, writer: SQLiteConnectionPool)
        case postgres(PostgresPool)
    }

    private init(kind: DatabaseKind, configuration: DatabaseConfiguration, backend: Backend) {
        self.kind = kind
        self.configuration = configuration
        self.backend = backend
    }

    /// Opens the database; call `migrate()` before use and `close()` when done.
    public static func open(_ configuration: DatabaseConfiguration, logger: Logger) async throws -> Database {
        switch configuration {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let readerCount = max(2, ProcessInfo.processInfo.activeProcessorCount)
            let writer = try await openSQLite(path: path, cacheKiB: 65_536)
            var connections: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                connections.append(try await openSQLite(path: path, cacheKiB: 8_192))
            }
            return Database(
                kind: .sqlite, configuration: configuration,
                backend: .sqlite(readers: SQLiteConnectionPool(connections: connections), writer: SQLiteConnectionPool(connections: [writer]))
            )
        case .postgres(let settings):
            let pool = try PostgresPool(settings: settings, logger: logger)
            let db = Database(kind: .postgres, configuration: configuration, backend: .postgres(pool))
            do {
                let encrypted = try await pool.probe()
                if case .tcp = settings.endpoint, !encrypted, settings.tlsMode == .prefer {
                    logger.warning(
                        "the connection to PostgreSQL is not encrypted: sslmode=prefer fell back to plaintext because the server does not offer TLS",
                        metadata: ["database": "\(settings.redacted)"])
                }
            } catch {
                await pool.close()
                throw error
            }
            return db
        }
    }

    /// Opens one connection; `cacheKiB` bounds its page cache (the writer's is larger, for bulk writes).
    ///
    /// A new database gets 16 KiB pages: the activity log's tables carry many indexes, and SQLite
    /// copies a million-event log into them about 1.45× as fast as with its default 4 KiB pages. A
    /// checkpoint starts once the WAL holds 64 MiB (4,096 pages) rather than SQLite's 1,000 pages, so
    /// pages that consecutive write batches touch again are copied into the database file once.
    private static func openSQLite(path: String, cacheKiB: Int) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(path: path)
        let pragmas = [
            "PRAGMA page_size = 16384", "PRAGMA wal_autocheckpoint = 4096",
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000",
            "PRAGMA cache_size = -\(cacheKiB)",
        ]
        for pragma in pragmas {
            _ = try await connection.rows(pragma, [])
        }
        return connection
    }

    /// The statement timeout of exports and smart-action applies and undos, which read or write many
    /// rows in one statement: longer than `--database-statement-timeout`'s default for one request.
    public static let longStatementTimeout: Duration = .seconds(15 * 60)

    /// Runs `body` on a connection for reading; on PostgreSQL, each of its statements may run for
    /// `statementTimeout` instead of the configured default.
    public func read<T: Sendable>(
        statementTimeout: Duration? = nil, _ body: @Sendable (DatabaseConnection) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite(let readers, _):
            return try await readers.withConnection { try await body(DatabaseConnection(handle: .sqlite($0), isInTransaction: false)) }
        case .postgres(let pool):
            return try await pool.withLease { lease in
                try await lease.withStatementTimeout(statementTimeout) {
                    try await body(DatabaseConnection(handle: .postgres(lease), isInTransaction: false))
                }
            }
        }
    }

    /// Runs `body` in one transaction: all of its writes commit together or none do. On
    /// PostgreSQL, each of its statements may run for `statementTimeout` instead of the default.
    public func transaction<T: Sendable>(
        statementTimeout: Duration? = nil, _ body: @Sendable (DatabaseConnection) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite(_, let writer):
            return try await writer.withConnection { connection in
                try await Self.inTransaction(DatabaseConnection(handle: .sqlite(connection), isInTransaction: true), kind: .sqlite, begin: "BEGIN IMMEDIATE", body)
            }
        case .postgres(let pool):
            return try await pool.withLease { lease in
                try await Self.inTransaction(DatabaseConnection(handle: .postgres(lease), isInTransaction: true), kind: .postgres, begin: "BEGIN") { connection in
                    if let statementTimeout {
                        try await lease.execute("SET LOCAL statement_timeout = \(statementTimeout.milliseconds)")
                    }
                    return try await body(connection)
                }
            }
        }
    }

    /// Checks that the database answers a statement within `limit`.
    public func ping(within limit: Duration) async throws {
        switch backend {
        case .sqlite:
            try await read { try await $0.execute(statement("SELECT 1")) }
        case .postgres(let pool):
            try await pool.ping(within: limit)
        }
    }

    /// Reads every row `request` selects, in its order, and hands them to `body` a batch of up to
    /// `request.pageSize` rows at a time (the batch and the range of its rows to use), so memory
    /// stays flat whatever the row count and `body`'s pace (a slow client) holds the reading back.
    /// Statements may run for `longStatementTimeout`.
    ///
    /// On PostgreSQL this is one statement whose rows stream as the server produces them, as
    /// psql's COPY reads them. On SQLite it is one keyset query per batch, the next batch read
    /// while `body` handles the current one, so no read transaction stays open for long.
    public func readAll(
        _ request: ListRequest, select: @escaping @Sendable (ListRequest) throws -> SQLText, _ body: (RowBatch, Range<Int>) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            var request = request
            let fetch = { (request: ListRequest) in
                Task { try await self.read { try await $0.rowBatch(try select(request)) } }
            }
            var pending = fetch(request)
            while true {
                let rows = try await pending.value
                let count = min(rows.count, request.pageSize)
                let last = rows.count > request.pageSize ? rows.row(count - 1) : nil
                if let last {
                    request = request.continuing(after: last)
                    pending = fetch(request)
                }
                try await body(rows, 0..<count)
                guard last != nil else { return }
            }
        case .postgres(let pool):
            var everything = request
            everything.isLimited = false
            let statement = try select(everything)
            try await pool.withLease { lease in
                try await lease.withStatementTimeout(Self.longStatementTimeout) {
                    try await lease.stream(statement.sql, statement.binds, rowsPerBatch: request.pageSize) { cells in
                        try await body(RowBatch(rows: .postgres(cells)), 0..<cells.count)
                    }
                }
            }
        }
    }

    /// Cancels the statements running now (PostgreSQL); their requests fail, and their
    /// transactions roll back. For a server that is shutting down.
    public func cancelRunningStatements() {
        if case .postgres(let pool) = backend { pool.cancelRunning() }
    }

    /// Runs one statement on a reader and returns its rows.
    public func rows(_ statement: SQLText) async throws -> [DatabaseRow] {
        try await read { try await $0.rows(statement) }
    }

    /// Runs one statement on a reader and returns its first row, if any.
    public func first(_ statement: SQLText) async throws -> DatabaseRow? {
        try await read { try await $0.first(statement) }
    }

    /// Runs `body` on `connection` between `begin` and COMMIT, or ROLLBACK if it throws.
    static func inTransaction<T: Sendable>(
        _ connection: DatabaseConnection, kind: DatabaseKind, begin: String, _ body: @Sendable (DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await connection.execute(SQLText(kind, begin))
        do {
            let result = try await body(connection)
            try await connection.execute(SQLText(kind, "COMMIT"))
            return result
        } catch {
            try? await connection.execute(SQLText(kind, "ROLLBACK"))
            throw error
        }
    }

    /// Closes every connection.
    public func close() async {
        switch backend {
        case .sqlite(let readers, let writer):
            await readers.close()
            await writer.close()
        case .postgres(let pool):
            await pool.close()
        }
    }

    /// A new, empty statement for this database.
    public func statement(_ sql: String = "") -> SQLText {
        SQLText(kind, sql)
    }
}
