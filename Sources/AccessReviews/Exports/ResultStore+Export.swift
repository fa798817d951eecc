import Foundation
import NIOCore
import SCIMFilter
import WardenCore

/// A checked export of one certification's rows: which rows (of those `assignment` covers), in
/// which order, and the properties its rows have, each a column.
public struct ResultExport: Sendable {
    let certificationKey: Int64
    let request: ListRequest
    let properties: [ResultProperty]
    let assignment: ReviewerAssignment
}

extension ResultStore {
    /// Rows per query while exporting.
    static let exportBatchSize = 2_000

    /// The columns after the node properties.
    static let exportTail = [
        "abstract_permissions", "concrete_permissions", "decision", "notes", "reviewers", "signed_off_state", "signed_off_at",
        "signed_off_by", "updated_at", "updated_by",
    ]

    /// Checks an export request against the certification (404 when there is none; filters and
    /// order as the results list checks them, `mutable_filter` against the reviewer-owned fields).
    public func export(_ request: ReviewExportRequest, for assignment: ReviewerAssignment) async throws -> ResultExport {
        try await database.read { connection in
            let (key, properties, version) = try await certification(request.certificationID, on: connection)
            let spec = listSpec(certificationKey: key, properties: properties, version: version)
            _ = try ListRequest.parseFilter(request.mutableFilter, catalog: ResultFields.mutableCatalog, parameter: "mutable_filter")
            let parts = [request.filter, request.mutableFilter].compactMap { $0 }.filter { !$0.allSatisfy(\.isWhitespace) }
            _ = try ListRequest.parseFilter(request.filter, catalog: spec.catalog)
            let list = try ListRequest.batches(
                spec, filter: parts.isEmpty ? nil : parts.map { "(\($0))" }.joined(separator: " and "), orderBy: request.orderBy,
                batchSize: Self.exportBatchSize)
            return ResultExport(
                certificationKey: key, request: list, properties: properties.sorted { ($0.side, $0.name) < ($1.side, $1.name) },
                assignment: assignment)
        }
    }

    /// Writes the rows as CSV (a header, then one record per row with its action log), batch by
    /// batch, so memory stays flat whatever the row count; returns the number of rows.
    public func exportCSV(_ export: ResultExport, write: (ByteBuffer) async throws -> Void) async throws -> Int {
        var buffer = ByteBuffer()
        CSVWriter.appendRow(["result_id"] + export.properties.map { "\($0.side).\($0.name)" } + Self.exportTail + ["action_log"], to: &buffer)
        var request = export.request
        var total = 0
        while true {
            var select = database.statement("SELECT row_key, result_id")
            for property in export.properties {
                select.append(", ")
                appendValue(of: property, to: &select)
            }
            select.append(", \(Self.exportTail.joined(separator: ", "))\(request.sortKeyColumns) FROM awf_results")
            try request.appendClauses(to: &select) { sql in
                sql.append("certification_key = ")
                sql.append(bind: export.certificationKey)
                export.assignment.append(to: &sql)
            }
            let query = select
            let pageSize = request.pageSize
            let updatedAt = 2 + export.properties.count + Self.exportTail.firstIndex(of: "updated_at")!
            let batch: ([DatabaseRow], [Int64: String]) = try await database.read(statementTimeout: Database.longStatementTimeout) { connection in
                let rows = try await connection.rows(query)
                let logged = try rows.prefix(pageSize).filter { $0.values[updatedAt] != .null }.map { row in
                    var reader = row.reader()
                    return try reader.integer()
                }
                return (rows, try await self.logTexts(of: logged, on: connection))
            }
            let (rows, logs) = batch
            let count = min(rows.count, request.pageSize)
            for row in rows.prefix(count) {
                CSVWriter.appendRow(try Self.exportCells(row, properties: export.properties, logs: logs), to: &buffer)
            }
            total += count
            try await write(buffer)
            buffer.clear()
            guard rows.count > request.pageSize else { return total }
            request = request.continuing(after: rows[count - 1])
        }
    }

    /// Appends the stored value of one property: a typed JSON path for a name filters can use, and
    /// the member found by its bound name for any other (a space, a dot, non-ASCII…).
    private func appendValue(of property: ResultProperty, to select: inout SQLText) {
        if ResultProperty.isFilterable(property.name) {
            select.append("(\(property.field(database.kind).column))")
            return
        }
        switch database.kind {
        case .sqlite:
            select.append("(SELECT value FROM json_each(\(property.side)) WHERE key = ")
            select.append(bind: property.name)
            select.append(")")
        case .postgres:
            select.append("(\(property.side)->>")
            select.append(bind: property.name)
            select.append(")")
        }
    }

    private static func exportCells(_ row: DatabaseRow, properties: [ResultProperty], logs: [Int64: String]) throws -> [String] {
        var reader = row.reader()
        let key = try reader.integer()
        var cells = [String(try reader.integer())]
        for property in properties {
            cells.append(propertyCell(row.values[cells.count + 1], kind: property.type))
        }
        reader = row.reader(from: cells.count + 1)
        func list(_ text: String) throws -> String { try WireJSON.value([String].self, from: text).joined(separator: ";") }
        func user(_ text: String?) throws -> String {
            guard let text else { return "" }
            let user = try WireJSON.value(WorkflowUser.self, from: text)
            return [user.email, user.name, user.id].first { !$0.isEmpty } ?? ""
        }
        cells.append(try list(try reader.text()))
        cells.append(try list(try reader.text()))
        cells.append(try reader.text())
        cells.append(try reader.text())
        cells.append(try WireJSON.value([WorkflowUser].self, from: try reader.text()).map { $0.email.isEmpty ? $0.id : $0.email }.joined(separator: ";"))
        cells.append(try reader.text())
        cells.append(try reader.optionalTimestamp()?.rfc3339 ?? "")
        cells.append(try user(try reader.optionalText()))
        cells.append(try reader.optionalTimestamp()?.rfc3339 ?? "")
        cells.append(try user(try reader.optionalText()))
        cells.append(logs[key] ?? "[]")
        return cells
    }

    /// A property's cell: booleans as `true`/`false` (SQLite returns them as 0 and 1), numbers in
    /// JSON form, text and lists as stored.
    private static func propertyCell(_ value: DatabaseValue, kind: ResultProperty.Kind) -> String {
        switch value {
        case .null: ""
        case .boolean(let boolean): boolean ? "true" : "false"
        case .integer(let integer) where kind == .boolean: integer != 0 ? "true" : "false"
        case .integer(let integer): String(integer)
        case .double(let double): JSONValue.number(double).jsonText
        case .text(let text): text
        }
    }
}
