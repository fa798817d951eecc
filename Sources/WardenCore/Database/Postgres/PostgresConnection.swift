import Crypto
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL connection: the version 3 wire protocol over a blocking socket, driven on a
/// serial queue of its own so that a long statement never holds a thread the server needs.
///
/// Statements use the extended protocol (Parse, Bind, Describe, Execute, Sync in one write) with
/// typed parameters in text form, and ask for every result column in text form, which is what
/// `psql` reads: rows are copied from the socket into `PostgresCells` a message at a time. Batches
/// of rows to write go in by `COPY … FROM STDIN`. A connection is used by one caller at a time;
/// its pool guarantees that.
final class PostgresConnection: @unchecked Sendable {
    private var socket: Int32
    private let queue: DispatchQueue
    private var inbox = [UInt8](repeating: 0, count: 1 << 16)
    private var inboxStart = 0
    private var inboxEnd = 0
    /// The transaction status of the last ReadyForQuery: `I` idle, `T` in a transaction, `E` failed.
    private var transactionStatus = UInt8(ascii: "I")
    private(set) var isBroken = false

    private init(socket: Int32, queue: DispatchQueue) {
        self.socket = socket
        self.queue = queue
    }

    /// Whether the connection can serve another caller: not broken and not left inside a transaction.
    var isReusable: Bool { !isBroken && transactionStatus == UInt8(ascii: "I") }

    /// Connects, starts up and authenticates (trust, password, MD5 or SCRAM-SHA-256).
    static func connect(host: String, port: Int, username: String, password: String?, database: String) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "warden.postgres.connection")
        return try await run(on: queue) {
            let connection = PostgresConnection(socket: try openSocket(host: host, port: port), queue: queue)
            do {
                try connection.startUp(username: username, password: password, database: database)
            } catch {
                connection.closeSocket()
                throw error
            }
            return connection
        }
    }

    /// Runs one statement and returns its rows (none for a statement that returns none).
    ///
    /// A statement that fits in the socket's buffer is sent from the caller's thread, so the hop to
    /// the connection's queue happens while the server works on it; a larger one (a batch of
    /// upserts) is sent from the queue, since sending it may block until the server reads.
    func query(_ sql: String, _ binds: [DatabaseValue]) async throws -> PostgresCells {
        let message = Self.extendedQuery(sql, binds)
        guard message.count <= Self.inlineSendLimit else {
            return try await Self.run(on: queue) {
                try self.sendQuery(message)
                return try self.readResult()
            }
        }
        try sendQuery(message)
        return try await Self.run(on: queue) { try self.readResult() }
    }

    /// The largest statement sent from the caller's thread: well under a socket's send buffer.
    static let inlineSendLimit = 8 * 1024

    /// Whether a transaction is open (or failed and not yet rolled back) on the connection.
    var isInTransaction: Bool { transactionStatus != UInt8(ascii: "I") }

    /// Runs `statements`, simple-query SQL whose last statement is a `COPY … FROM STDIN`; streams
    /// `rows` to that COPY in its text format; then runs `then`. All of it goes in one write and
    /// the first error is thrown. When `statements` fail, the server drops the rows, but it still
    /// runs `then` unless a transaction was open (and so is now failed): callers open one.
    func copy(_ statements: String, rows: some Collection<[DatabaseValue]>, then: String) async throws {
        let message = Self.copyIn(statements, rows, then)
        try await Self.run(on: queue) {
            try self.sendQuery(message)
            let copied = Result { try self.readResult() }
            let finished = Result { try self.readResult() }
            _ = try copied.get()
            _ = try finished.get()
        }
    }

    /// Says goodbye to the server and closes the socket.
    func close() async {
        try? await Self.run(on: queue) {
            if !self.isBroken { try? self.send(Self.message(UInt8(ascii: "X")) { _ in }) }
            self.closeSocket()
        }
    }

    private static func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    // MARK: On the connection's queue

    private func sendQuery(_ message: [UInt8]) throws {
        guard !isBroken else { throw PostgresError.connection("the connection was lost earlier") }
        do {
            try send(message)
        } catch {
            closeSocket()
            throw error
        }
    }

    /// Reads one statement's results, up to ReadyForQuery.
    private func readResult() throws -> PostgresCells {
        do {
            var cells = PostgresCells()
            var failure: PostgresError?
            while true {
                let (type, body) = try nextMessage()
                switch type {
                case UInt8(ascii: "T"):
                    cells.describe(try inbox.withUnsafeBytes { try Self.columnTypes(UnsafeRawBufferPointer(rebasing: $0[body])) })
                case UInt8(ascii: "D"):
                    try inbox.withUnsafeBytes { try cells.appendDataRow(UnsafeRawBufferPointer(rebasing: $0[body])) }
                case UInt8(ascii: "E"):
                    failure = serverError(body)
                case UInt8(ascii: "Z"):
                    transactionStatus = body.isEmpty ? UInt8(ascii: "E") : inbox[body.lowerBound]
                    if let failure { throw failure }
                    return cells
                default:
                    continue
                }
            }
        } catch let error as PostgresError where error.leavesConnectionUsable {
            throw error
        } catch {
            closeSocket()
            throw error
        }
    }

    private func startUp(username: String, password: String?, database: String) throws {
        var parameters: [UInt8] = []
        for (key, value) in [("user", username), ("database", database), ("client_encoding", "UTF8"), ("application_name", "warden")] {
            Self.appendCString(key, to: &parameters)
            Self.appendCString(value, to: &parameters)
        }
        parameters.append(0)
        var startup: [UInt8] = []
        Self.appendInt32(Int32(8 + parameters.count), to: &startup)
        Self.appendInt32(196_608, to: &startup)
        try send(startup + parameters)
        var scram: PostgresSCRAM?
        while true {
            let (type, body) = try nextMessage()
            switch type {
            case UInt8(ascii: "R"):
                let bytes = Array(inbox[body])
                guard bytes.count >= 4 else { throw PostgresError.protocolViolation("a short authentication request") }
                let code = Int32(bigEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
                let payload = Array(bytes[4...])
                func passwordOrThrow() throws -> String {
                    guard let password else {
                        throw PostgresError.connection("the server asks for \(username)'s password; give it in the database URL")
                    }
                    return password
                }
                switch code {
                case 0:
                    continue
                case 3:
                    try sendPassword(Array(try passwordOrThrow().utf8))
                case 5:
                    let inner = Self.md5Hex(Array(try passwordOrThrow().utf8) + Array(username.utf8))
                    try sendPassword(Array("md5".utf8) + Self.md5Hex(inner + payload))
                case 10:
                    let mechanisms = payload.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        throw PostgresError.unsupported("the server offers only \(mechanisms.joined(separator: ", ")) for authentication")
                    }
                    let client = PostgresSCRAM(password: try passwordOrThrow())
                    scram = client
                    try send(Self.message(UInt8(ascii: "p")) { out in
                        Self.appendCString("SCRAM-SHA-256", to: &out)
                        Self.appendInt32(Int32(client.clientFirst.utf8.count), to: &out)
                        out += client.clientFirst.utf8
                    })
                case 11:
                    guard var client = scram else { throw PostgresError.protocolViolation("a SCRAM continuation before SCRAM began") }
                    let final = try client.clientFinal(serverFirst: String(decoding: payload, as: UTF8.self))
                    scram = client
                    try send(Self.message(UInt8(ascii: "p")) { $0 += final.utf8 })
                case 12:
                    guard let client = scram else { throw PostgresError.protocolViolation("a SCRAM result before SCRAM began") }
                    try client.verify(serverFinal: String(decoding: payload, as: UTF8.self))
                default:
                    throw PostgresError.unsupported("the server asks for authentication method \(code), which Warden does not support")
                }
            case UInt8(ascii: "E"):
                throw serverError(body)
            case UInt8(ascii: "Z"):
                return
            default:
                continue
            }
        }
    }

    private func sendPassword(_ password: [UInt8]) throws {
        try send(Self.message(UInt8(ascii: "p")) { out in
            out += password
            out.append(0)
        })
    }

    /// The next backend message: its type and where its body lies in `inbox`, valid until the next call.
    private func nextMessage() throws -> (UInt8, Range<Int>) {
        try fill(5)
        let length = Int(inbox[inboxStart + 1]) << 24 | Int(inbox[inboxStart + 2]) << 16 | Int(inbox[inboxStart + 3]) << 8 | Int(inbox[inboxStart + 4])
        guard length >= 4 else { throw PostgresError.protocolViolation("a message length of \(length)") }
        try fill(1 + length)
        let type = inbox[inboxStart]
        let body = (inboxStart + 5)..<(inboxStart + 1 + length)
        inboxStart += 1 + length
        return (type, body)
    }

    /// Reads until at least `count` unread bytes are in `inbox`, moving them to its start first
    /// when they would not fit after it.
    private func fill(_ count: Int) throws {
        guard inboxEnd - inboxStart < count else { return }
        if inboxStart + count > inbox.count {
            inbox.withUnsafeMutableBytes { bytes in
                bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + inboxStart, byteCount: inboxEnd - inboxStart)
            }
            inboxEnd -= inboxStart
            inboxStart = 0
            if count > inbox.count {
                inbox += [UInt8](repeating: 0, count: count - inbox.count)
            }
        }
        while inboxEnd - inboxStart < count {
            let received = inbox.withUnsafeMutableBytes { bytes in
                recv(socket, bytes.baseAddress! + inboxEnd, bytes.count - inboxEnd, 0)
            }
            if received > 0 {
                inboxEnd += received
            } else if received < 0, errno == EINTR {
                continue
            } else {
                isBroken = true
                throw PostgresError.connection(received == 0 ? "the server closed the connection" : "reading failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if result > 0 {
                sent += result
            } else if result < 0, errno == EINTR {
                continue
            } else {
                isBroken = true
                throw PostgresError.connection("writing failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func closeSocket() {
        isBroken = true
        if socket >= 0 {
            Glibc.close(socket)
            socket = -1
        }
    }

    private func serverError(_ body: Range<Int>) -> PostgresError {
        var fields: [UInt8: String] = [:]
        var index = body.lowerBound
        while index < body.upperBound, inbox[index] != 0 {
            let code = inbox[index]
            let start = index + 1
            var end = start
            while end < body.upperBound, inbox[end] != 0 { end += 1 }
            fields[code] = String(decoding: inbox[start..<end], as: UTF8.self)
            index = end + 1
        }
        return .server(
            sqlState: fields[UInt8(ascii: "C")] ?? "XX000", message: fields[UInt8(ascii: "M")] ?? "unknown error",
            detail: fields[UInt8(ascii: "D")], hint: fields[UInt8(ascii: "H")])
    }

    // MARK: Messages

    /// Parse, Bind, Describe, Execute and Sync for an unnamed statement: parameters typed and in
    /// text form, every result column in text form.
    private static func extendedQuery(_ sql: String, _ binds: [DatabaseValue]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 64 + binds.count * 16)
        out += message(UInt8(ascii: "P")) { body in
            body.append(0)
            appendCString(sql, to: &body)
            appendInt16(Int16(binds.count), to: &body)
            for value in binds { appendInt32(Int32(bitPattern: typeOID(of: value)), to: &body) }
        }
        out += message(UInt8(ascii: "B")) { body in
            body += [0, 0]
            appendInt16(0, to: &body)
            appendInt16(Int16(binds.count), to: &body)
            for value in binds {
                guard let text = text(of: value) else {
                    appendInt32(-1, to: &body)
                    continue
                }
                appendInt32(Int32(text.utf8.count), to: &body)
                body += text.utf8
            }
            appendInt16(0, to: &body)
        }
        out += message(UInt8(ascii: "D")) { $0 += [UInt8(ascii: "P"), 0] }
        out += message(UInt8(ascii: "E")) { body in
            body.append(0)
            appendInt32(0, to: &body)
        }
        out += message(UInt8(ascii: "S")) { _ in }
        return out
    }

    /// Query, CopyData for `rows`, CopyDone, Query.
    private static func copyIn(_ statements: String, _ rows: some Collection<[DatabaseValue]>, _ then: String) -> [UInt8] {
        var out = message(UInt8(ascii: "Q")) { appendCString(statements, to: &$0) }
        appendCopyData(rows, to: &out)
        out += message(UInt8(ascii: "c")) { _ in }
        out += message(UInt8(ascii: "Q")) { appendCString(then, to: &$0) }
        return out
    }

    /// The size past which a CopyData message ends after the current row: the server reads a
    /// message whole before parsing it.
    static let copyDataLimit = 256 * 1024

    /// `rows` in COPY's text format (tab-separated, `\N` for NULL, backslash escapes), as CopyData
    /// messages of about `copyDataLimit` bytes.
    private static func appendCopyData(_ rows: some Collection<[DatabaseValue]>, to out: inout [UInt8]) {
        var messageStart = out.count
        out += [UInt8(ascii: "d"), 0, 0, 0, 0]
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: "\t")) }
                if case .text(let text) = value {
                    appendCopyText(text, to: &out)
                } else if let rendered = text(of: value) {
                    out += rendered.utf8
                } else {
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "N")]
                }
            }
            out.append(UInt8(ascii: "\n"))
            if out.count - messageStart > copyDataLimit {
                closeMessage(startingAt: messageStart, in: &out)
                messageStart = out.count
                out += [UInt8(ascii: "d"), 0, 0, 0, 0]
            }
        }
        if out.count - messageStart == 5 {
            out.removeLast(5)
        } else {
            closeMessage(startingAt: messageStart, in: &out)
        }
    }

    /// `text` with the four bytes COPY's text format escapes (backslash, newline, carriage return, tab) escaped.
    private static func appendCopyText(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let escaped: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                default: continue
                }
                out += UnsafeBufferPointer(rebasing: bytes[start..<index])
                out += [UInt8(ascii: "\\"), escaped]
                start = index + 1
            }
            out += UnsafeBufferPointer(rebasing: bytes[start...])
        }
    }

    private static func typeOID(of value: DatabaseValue) -> UInt32 {
        switch value {
        case .null: 0
        case .integer: 20
        case .double: 701
        case .text: 25
        case .boolean: 16
        }
    }

    private static func text(of value: DatabaseValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let integer): String(integer)
        case .double(let double) where double.isNaN: "NaN"
        case .double(let double) where double.isInfinite: double < 0 ? "-Infinity" : "Infinity"
        case .double(let double): String(double)
        case .text(let text): text
        case .boolean(let bool): bool ? "t" : "f"
        }
    }

    /// The type OIDs of a RowDescription's columns.
    private static func columnTypes(_ body: UnsafeRawBufferPointer) throws -> [UInt32] {
        guard body.count >= 2 else { throw PostgresError.protocolViolation("a RowDescription without a field count") }
        let count = Int(UInt16(body[0]) << 8 | UInt16(body[1]))
        var oids: [UInt32] = []
        var offset = 2
        for _ in 0..<count {
            while offset < body.count, body[offset] != 0 { offset += 1 }
            offset += 1 + 4 + 2
            guard offset + 4 + 2 + 4 + 2 <= body.count else { throw PostgresError.protocolViolation("a truncated RowDescription") }
            oids.append(UInt32(bigEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4 + 2 + 4 + 2
        }
        return oids
    }

    private static func message(_ type: UInt8, _ body: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = [type, 0, 0, 0, 0]
        body(&out)
        closeMessage(startingAt: 0, in: &out)
        return out
    }

    /// Writes the length of the message that starts at `start` and runs to the end of `out`.
    private static func closeMessage(startingAt start: Int, in out: inout [UInt8]) {
        let length = UInt32(out.count - start - 1).bigEndian
        withUnsafeBytes(of: length) { out.replaceSubrange((start + 1)..<(start + 5), with: $0) }
    }

    private static func appendCString(_ text: String, to out: inout [UInt8]) {
        out += text.utf8
        out.append(0)
    }

    private static func appendInt16(_ value: Int16, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out += $0 }
    }

    private static func appendInt32(_ value: Int32, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out += $0 }
    }

    private static func md5Hex(_ bytes: [UInt8]) -> [UInt8] {
        Array(Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined().utf8)
    }

    /// How long a connection attempt to one address may take.
    static let connectTimeoutSeconds = 10

    private static func openSocket(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw PostgresError.connection("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var failure = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard socket >= 0 else { continue }
            var timeout = timeval(tv_sec: connectTimeoutSeconds, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                var none = timeval(tv_sec: 0, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &none, socklen_t(MemoryLayout<timeval>.size))
                var one: Int32 = 1
                setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                setsockopt(socket, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
                return socket
            }
            failure = String(cString: strerror(errno))
            Glibc.close(socket)
        }
        throw PostgresError.connection("cannot connect to \(host):\(port): \(failure)")
    }
}
