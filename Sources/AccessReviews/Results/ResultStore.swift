import Foundation
import NIOCore
import SCIMFilter
import WardenCore

/// Loads, lists and reads a certification's result rows.
public struct ResultStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The highest `result_id`: far below Int64's limit, so ids assigned after it never overflow.
    static let maximumResultID: Int64 = 1 << 53

    /// Rows per page: Veza's default and maximum for results.
    static let defaultPageSize = 100
    static let maximumPageSize = 2000

    static let columns = """
        row_key, result_id, source, destination, abstract_permissions, concrete_permissions, decision, notes, reviewers, \
        signed_off_state, signed_off_at, signed_off_by, updated_at, updated_by
        """

    static let insert = Upsert(
        table: "awf_results",
        columns: [
            "certification_key", "result_id", "source", "destination", "abstract_permissions", "concrete_permissions",
            "decision", "notes", "reviewers", "signed_off_state", "version",
        ],
        key: [])

    static let properties = Upsert(
        table: "awf_result_properties", columns: ["certification_key", "side", "name", "type"], key: ["certification_key", "side", "name"])

    /// Adds `rows` to a certification in one transaction and returns how many were added. Rows
    /// without a `result_id` get the next free ones; a `result_id` that appears twice, or that the
    /// certification already has, is a 400 and nothing is added.
    @discardableResult
    public func load(_ rows: [ResultImportRow], into certificationID: String) async throws -> Int {
        var seen = Set<Int64>()
        for id in rows.compactMap(\.resultID) {
            guard (0...Self.maximumResultID).contains(id) else {
                throw APIError.invalidArgument("result_id", "result_id \(id) is out of range; use 0 to \(Self.maximumResultID)")
            }
            guard seen.insert(id).inserted else {
                throw APIError.invalidArgument("result_id", "result_id \(id) appears more than once in the rows loaded")
            }
        }
        let given = seen
        return try await database.transaction(statementTimeout: Database.longStatementTimeout) { connection in
            let key = try await CertificationStore(database: database).key(of: certificationID, on: connection, locking: true)
            return try await insert(rows, given: given, into: key, certificationID: certificationID, on: connection)
        }
    }

    /// Adds checked `rows` (whose given ids are `given`) to the certification keyed `key`, locked by the caller.
    func insert(_ rows: [ResultImportRow], given: Set<Int64>, into key: Int64, certificationID: String, on connection: DatabaseConnection) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        for chunk in Array(given).chunks(of: 1000) {
            var clash = database.statement("SELECT result_id FROM awf_results WHERE certification_key = ")
            clash.append(bind: key)
            clash.append(" AND result_id IN (")
            clash.append(binds: chunk.map(DatabaseValue.integer))
            clash.append(") LIMIT 1")
            if var reader = try await connection.first(clash)?.reader() {
                throw APIError.invalidArgument("result_id", "result_id \(try reader.integer()) already exists in certification \(certificationID)")
            }
        }
        var highest = database.statement("SELECT MAX(result_id) FROM awf_results WHERE certification_key = ")
        highest.append(bind: key)
        var highestReader = try await connection.first(highest)?.reader()
        var next = max(try highestReader?.optionalInteger() ?? -1, given.max() ?? -1) + 1
        if next + Int64(rows.count) > Self.maximumResultID {
            throw APIError.invalidArgument("result_id", "the rows without a result_id would get ids past \(Self.maximumResultID)")
        }
        var values: [[DatabaseValue]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            let id = row.resultID ?? next
            if row.resultID == nil { next += 1 }
            values.append([
                .integer(key), .integer(id), .text(try WireJSON.text(row.source)), .text(try WireJSON.text(row.destination)),
                .text(try WireJSON.text(row.abstractPermissions)), .text(try WireJSON.text(row.concretePermissions)),
                .text((row.decision ?? .noDecision).rawValue), .text(row.notes ?? ""), .text(try WireJSON.text(row.reviewers)),
                .text(SignedOffState.notSignedOff.rawValue), .integer(0),
            ])
        }
        try await connection.execute(Self.insert, rows: values)
        try await updateProperties(of: key, with: rows, on: connection)
        var counts = database.statement("UPDATE awf_certifications SET total_result_count = total_result_count + ")
        counts.append(bind: Int64(rows.count))
        counts.append(", results_updated_at = ")
        counts.append(bind: Timestamp.now)
        counts.append(" WHERE seq = ")
        counts.append(bind: key)
        try await connection.execute(counts)
        return rows.count
    }

    /// Records the properties `rows` bring and any change they make to a known property's type.
    private func updateProperties(of key: Int64, with rows: [ResultImportRow], on connection: DatabaseConnection) async throws {
        let known = try await properties(of: key, on: connection)
        let before = Dictionary(uniqueKeysWithValues: known.map { (ResultProperty.Key(side: $0.side, name: $0.name), $0.type) })
        let after = ResultProperty.merging(rows, into: before)
        if after.count > ResultProperty.maximumCount {
            throw APIError.invalidArgument(
                "body", "the rows would give this certification \(after.count) distinct source and destination properties; the maximum is \(ResultProperty.maximumCount)")
        }
        let changed = after.filter { before[$0.key] != $0.value }.sorted { $0.key < $1.key }
        guard !changed.isEmpty else { return }
        try await connection.execute(Self.properties, rows: changed.map { property, kind in
            [.integer(key), .text(property.side), .text(property.name), .text(kind.rawValue)]
        })
        var bump = database.statement("UPDATE awf_certifications SET properties_version = properties_version + 1 WHERE seq = ")
        bump.append(bind: key)
        try await connection.execute(bump)
    }

    /// The properties a certification's rows have.
    func properties(of key: Int64, on connection: DatabaseConnection) async throws -> [ResultProperty] {
        var select = database.statement("SELECT side, name, type FROM awf_result_properties WHERE certification_key = ")
        select.append(bind: key)
        return try await connection.rows(select).map { row in
            var reader = row.reader()
            return ResultProperty(
                side: try reader.text(), name: try reader.text(), type: ResultProperty.Kind(rawValue: try reader.text()) ?? .mixed)
        }
    }

    /// A certification's key and the properties its rows have, in one query; 404 when there is none.
    public func certification(_ id: String, on connection: DatabaseConnection) async throws -> (key: Int64, properties: [ResultProperty], version: Int64) {
        let entry = try await catalogEntry(id, on: connection)
        return (entry.key, entry.properties, entry.version)
    }

    /// The certification's key, properties and properties version, read now and remembered.
    func catalogEntry(_ id: String, on connection: DatabaseConnection) async throws -> CatalogCache.Entry {
        var select = database.statement("""
            SELECT c.seq, c.properties_version, p.side, p.name, p.type FROM awf_certifications c \
            LEFT JOIN awf_result_properties p ON p.certification_key = c.seq WHERE c.certification_id = 
            """)
        select.append(bind: id)
        let rows = try await connection.rows(select)
        guard let first = rows.first else { throw CertificationStore.notFound(id) }
        var keyReader = first.reader()
        let key = try keyReader.integer()
        let version = try keyReader.integer()
        let properties = try rows.compactMap { row -> ResultProperty? in
            var reader = row.reader(from: 2)
            guard let side = try reader.optionalText() else { return nil }
            return ResultProperty(side: side, name: try reader.text(), type: ResultProperty.Kind(rawValue: try reader.text()) ?? .mixed)
        }
        let entry = CatalogCache.Entry(key: key, properties: properties, version: version)
        CatalogCache.shared.store(entry, for: id, in: database)
        return entry
    }

    /// The list specification of one certification's rows: its own catalog, and tokens bound to it
    /// and to its properties version (a token from before a load changed them is refused, as its
    /// sort key may no longer compare).
    func listSpec(certificationKey key: Int64, properties: [ResultProperty], version: Int64) -> ListSpec {
        ListSpec(
            name: "awf_results:\(key):\(version)",
            catalog: ResultFields.catalog(properties: properties, kind: database.kind),
            defaultOrder: "result_id asc",
            tiebreaker: CatalogField("result_id", type: .integer, operators: [], nullable: false),
            defaultPageSize: Self.defaultPageSize, maximumPageSize: Self.maximumPageSize)
    }

    /// The keys of a row as the API writes it, and how each stored value is written.
    static let writer = JSONRowWriter(
        columns: [
            "result_id", "source", "destination", "abstract_permissions", "concrete_permissions", "decision", "notes", "reviewers",
            "signed_off_state", "signed_off_at", "signed_off_by", "updated_at", "updated_by", "action_log",
        ],
        kinds: [.integer, .text, .text, .text, .text, .text, .text, .text, .text, .timestamp, .text, .timestamp, .text, .text],
        jsonColumns: ["source", "destination", "abstract_permissions", "concrete_permissions", "reviewers", "signed_off_by", "updated_by", "action_log"])

    /// The columns of an action log entry, as `ActionLogWriter` reads them, from `l` (the log) and `b`
    /// (its batch).
    static let logColumns = """
        l.action, l.actor, l.time, l.note, l.decision, l.signed_off_state, l.old_reviewers, l.new_reviewers, b.definition_id, \
        b.definition_name, b.batch_id, l.task_id
        """

    /// One page of a certification's rows, as the response body: rows are written from their
    /// stored JSON, never decoded.
    ///
    /// Usually one query: the certification's key and properties come from `CatalogCache`, and the
    /// page query also returns the certification's current properties version; when it differs (or
    /// the page is empty and cannot say), the properties are read again first. A second query
    /// fetches the log entries of the page's rows that have any (those with an `updated_at`: every
    /// logged change sets it, and a load does not). Only the rows `assignment` covers are listed.
    public func listBody(
        _ certificationID: String, _ parameters: ListParameters, signer: PageTokenSigner, for assignment: ReviewerAssignment
    ) async throws -> ByteBuffer {
        try await database.read { connection in
            let (request, batch) = try await currentPage(certificationID, parameters, signer: signer, for: assignment, on: connection)
            let window = request.window(batch, signer: signer)
            let updatedAt = Self.writer.columnCount - 1
            let rowKeys = try window.rows.map { try batch.integer(row: $0, column: 1) }
            let logged = window.rows.filter { !batch.isNull(row: $0, column: updatedAt) }.map { rowKeys[$0] }
            let logs = try await logTexts(of: logged, on: connection)
            return try Self.writer.page(
                batch, rows: window.rows, firstColumn: 2, trailing: { [.text(Self.actionLog(logs[rowKeys[$0]]))] },
                nextPageToken: window.nextPageToken, hasMore: window.hasMore)
        }
    }

    /// The page under the certification's current properties: the remembered ones when the page
    /// query confirms their version, else freshly read ones. Under a stale catalog a filter may be
    /// refused, or cast a value the wrong way; any failure there is retried under fresh properties,
    /// which then have the last word.
    private func currentPage(
        _ certificationID: String, _ parameters: ListParameters, signer: PageTokenSigner, for assignment: ReviewerAssignment,
        on connection: DatabaseConnection
    ) async throws -> (request: ListRequest, rows: RowBatch) {
        if let cached = CatalogCache.shared.entry(certificationID, in: database),
           let attempt = try? await page(cached, parameters, signer: signer, for: assignment, on: connection), attempt.version == cached.version
        {
            return (attempt.request, attempt.rows)
        }
        let fresh = try await page(
            try await catalogEntry(certificationID, on: connection), parameters, signer: signer, for: assignment, on: connection)
        return (fresh.request, fresh.rows)
    }

    /// The page's rows (up to `pageSize + 1`; the properties version, `columns`, then the sort keys)
    /// under `entry`'s catalog, and the certification's properties version as the query saw it (nil
    /// when no row came back).
    private func page(
        _ entry: CatalogCache.Entry, _ parameters: ListParameters, signer: PageTokenSigner, for assignment: ReviewerAssignment,
        on connection: DatabaseConnection
    ) async throws -> (request: ListRequest, rows: RowBatch, version: Int64?) {
        let request = try ListRequest(
            listSpec(certificationKey: entry.key, properties: entry.properties, version: entry.version), parameters, signer: signer)
        var select = database.statement("SELECT (SELECT properties_version FROM awf_certifications WHERE seq = ")
        select.append(bind: entry.key)
        select.append("), \(Self.columns)\(request.sortKeyColumns) FROM awf_results")
        try request.appendClauses(to: &select) { sql in
            sql.append("certification_key = ")
            sql.append(bind: entry.key)
            assignment.append(to: &sql)
        }
        let rows = try await connection.rowBatch(select)
        let version = rows.count > 0 ? try rows.integer(row: 0, column: 0) : nil
        return (request, rows, version)
    }

    /// The log entries of rows as JSON arrays, by row key, written by `ActionLogWriter`.
    func logTexts(of keys: [Int64], on connection: DatabaseConnection) async throws -> [Int64: String] {
        var texts: [Int64: [UInt8]] = [:]
        for chunk in keys.chunks(of: 1000) {
            var select = database.statement("""
                SELECT l.row_key, \(Self.logColumns) FROM awf_result_log l LEFT JOIN awf_smart_action_batches b ON b.seq = l.batch_key \
                WHERE l.row_key IN (
                """)
            select.append(binds: chunk.map(DatabaseValue.integer))
            select.append(") ORDER BY l.row_key, l.seq")
            for row in try await connection.rows(select) {
                var reader = row.reader()
                let key = try reader.integer()
                var bytes = texts[key] ?? [UInt8(ascii: "[")]
                if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
                ActionLogWriter.appendEntry(row.values[1...], to: &bytes)
                texts[key] = bytes
            }
        }
        return texts.mapValues { String(decoding: $0 + [UInt8(ascii: "]")], as: UTF8.self) }
    }

    /// One row as `{"value": {...}}`; 404 when the certification or the row does not exist, or
    /// `assignment` does not cover the row.
    public func getBody(_ certificationID: String, resultID: Int64, for assignment: ReviewerAssignment) async throws -> ByteBuffer {
        try await database.read { connection in
            let key = try await CertificationStore(database: database).key(of: certificationID, on: connection)
            var select = database.statement("SELECT \(Self.columns) FROM awf_results WHERE certification_key = ")
            select.append(bind: key)
            select.append(" AND result_id = ")
            select.append(bind: resultID)
            assignment.append(to: &select)
            let rows = try await connection.rowBatch(select)
            guard rows.count > 0 else {
                throw APIError.notFound("result \(resultID) of certification \(certificationID)")
            }
            let logs = try await logTexts(of: [try rows.integer(row: 0, column: 0)], on: connection)
            var bytes = Array(#"{"value":"#.utf8)
            Self.writer.appendObject(rows, row: 0, firstColumn: 1, trailing: [.text(Self.actionLog(logs.values.first))], to: &bytes)
            bytes.append(UInt8(ascii: "}"))
            return ByteBuffer(bytes: bytes)
        }
    }

    /// The `action_log` object around a row's entries.
    static func actionLog(_ entries: String?) -> String {
        #"{"entries":"# + (entries ?? "[]") + "}"
    }

}

