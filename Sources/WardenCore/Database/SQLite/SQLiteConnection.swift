import NIOPosix
import VaporCSQLite

/// One `sqlite3` connection, driven directly through the C API on NIO's blocking thread pool.
///
/// A connection is used by one caller at a time (its pool guarantees that), so it opens in SQLite's
/// multi-thread mode without a mutex of its own. Statements are prepared once and kept, keyed by
/// their SQL, so a listing that repeats its shape skips the parser; rows are read straight into
/// `DatabaseValue`s.
final class SQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private let threadPool: NIOThreadPool

    /// Prepared statements kept per connection; past this the cache starts over.
    static let statementCacheSize = 64

    private init(handle: OpaquePointer, threadPool: NIOThreadPool) {
        self.handle = handle
        self.threadPool = threadPool
    }

    /// Opens (creating if needed) the database file at `path`.
    static func open(path: String, threadPool: NIOThreadPool = .singleton) async throws -> SQLiteConnection {
        try await threadPool.runIfActive {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            guard status == SQLITE_OK, let handle else {
                let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
                sqlite_nio_sqlite3_close_v2(handle)
                throw DatabaseError.sqlite("SQLite could not open \(path): \(message)")
            }
            sqlite_nio_sqlite3_extended_result_codes(handle, 1)
            return SQLiteConnection(handle: handle, threadPool: threadPool)
        }
    }

    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ binds: [DatabaseValue]) async throws -> [DatabaseRow] {
        try await threadPool.runIfActive {
            var rows: [DatabaseRow] = []
            try self.withStatement(sql) { statement in
                try self.bind(binds, to: statement)
                while try self.step(statement) {
                    rows.append(Self.row(of: statement))
                }
            }
            return rows
        }
    }

    /// Runs a statement and returns its rows as cells: text is copied once into one buffer.
    func cells(_ sql: String, _ binds: [DatabaseValue]) async throws -> SQLiteCells {
        try await threadPool.runIfActive {
            var cells = SQLiteCells(columnCount: 0)
            try self.withStatement(sql) { statement in
                try self.bind(binds, to: statement)
                let columns = sqlite_nio_sqlite3_column_count(statement)
                cells = SQLiteCells(columnCount: Int(columns))
                while try self.step(statement) {
                    for column in 0..<columns {
                        switch sqlite_nio_sqlite3_column_type(statement, column) {
                        case SQLITE_INTEGER: cells.append(sqlite_nio_sqlite3_column_int64(statement, column))
                        case SQLITE_FLOAT: cells.append(sqlite_nio_sqlite3_column_double(statement, column))
                        case SQLITE_NULL: cells.appendNull()
                        default:
                            let text = sqlite_nio_sqlite3_column_text(statement, column)
                            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                            cells.append(text: UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
                        }
                    }
                }
            }
            return cells
        }
    }

    /// Runs a statement once per element of `rows`, binding that element's values each time.
    func executeEach(_ sql: String, rows: [[DatabaseValue]]) async throws {
        try await threadPool.runIfActive {
            try self.withStatement(sql) { statement in
                for binds in rows {
                    try self.bind(binds, to: statement)
                    while try self.step(statement) {}
                    sqlite_nio_sqlite3_reset(statement)
                }
            }
        }
    }

    /// Finalizes every statement and closes the connection.
    func close() async {
        try? await threadPool.runIfActive {
            for statement in self.statements.values {
                sqlite_nio_sqlite3_finalize(statement)
            }
            self.statements = [:]
            sqlite_nio_sqlite3_close_v2(self.handle)
            self.handle = nil
        }
    }

    // MARK: On the thread pool

    /// Lends the cached statement for `sql` (preparing it the first time) and resets it afterwards,
    /// so no statement holds a read transaction open between calls.
    private func withStatement(_ sql: String, _ body: (OpaquePointer) throws -> Void) throws {
        guard let handle else { throw DatabaseError.sqlite("the SQLite connection is closed") }
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            statement = try prepare(sql, on: handle)
            if statements.count >= Self.statementCacheSize {
                for old in statements.values { sqlite_nio_sqlite3_finalize(old) }
                statements = [:]
            }
            statements[sql] = statement
        }
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try body(statement)
    }

    private func prepare(_ sql: String, on handle: OpaquePointer) throws -> OpaquePointer {
        var statement: OpaquePointer?
        var rest: UnsafePointer<CChar>?
        let status = sql.withCString { text in
            let status = sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &rest)
            if let rest, rest.pointee != 0, !String(cString: rest).allSatisfy(\.isWhitespace) {
                sqlite_nio_sqlite3_finalize(statement)
                statement = nil
                return SQLITE_MISUSE
            }
            return status
        }
        guard status == SQLITE_OK, let statement else {
            if status == SQLITE_MISUSE { throw DatabaseError.sqlite("one SQL statement at a time: \(sql)") }
            throw error(status)
        }
        return statement
    }

    private func bind(_ values: [DatabaseValue], to statement: OpaquePointer) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
            case .integer(let integer): status = sqlite_nio_sqlite3_bind_int64(statement, index, integer)
            case .double(let double): status = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .boolean(let bool): status = sqlite_nio_sqlite3_bind_int64(statement, index, bool ? 1 : 0)
            case .text(var text):
                status = text.withUTF8 { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite_nio_sqlite3_bind_text64(statement, index, "", 0, Self.transient, UInt8(SQLITE_UTF8))
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite_nio_sqlite3_bind_text64(statement, index, $0, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                    }
                }
            }
            guard status == SQLITE_OK else { throw error(status) }
        }
    }

    /// Advances the statement: true while it has a row to read, false once it is done.
    private func step(_ statement: OpaquePointer) throws -> Bool {
        switch sqlite_nio_sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw error(status)
        }
    }

    private static func row(of statement: OpaquePointer) -> DatabaseRow {
        let count = sqlite_nio_sqlite3_column_count(statement)
        var values: [DatabaseValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            values.append(value(of: statement, at: column))
        }
        return DatabaseRow(values)
    }

    private static func value(of statement: OpaquePointer, at column: Int32) -> DatabaseValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite_nio_sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .double(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    private func error(_ status: Int32) -> DatabaseError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite_nio_sqlite3_errstr(status))
        return .sqlite("SQLite error \(status): \(message)")
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
