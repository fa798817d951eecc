import Foundation
import SCIMFilter
import WardenCore

/// Reads result rows from an import body: a JSON array of row objects, NDJSON (one object per
/// line), or CSV with a header row.
///
/// CSV columns: `result_id`, `source.<property>`, `destination.<property>`, `abstract_permissions`,
/// `concrete_permissions` and `reviewers` (`;`-separated; reviewers by email), `decision`, `notes`.
/// A property cell that is empty is absent; `true`/`false` is a boolean, a whole number (up to
/// 2^53, what a JSON number holds exactly) is a number, anything else a string. A leading `'` that Warden's own exports put before `= + - @`, tab or CR
/// is removed, and the sign-off and history columns an export adds are skipped, so an export loads
/// into a new certification as it was exported.
public enum ResultImport {
    /// The body formats.
    public enum Format: Sendable {
        case jsonArray, ndjson, csv

        /// The format a `Content-Type` names, or the one the body's first character implies.
        public init(contentType: String?, body: Data) {
            let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if type == "text/csv" {
                self = .csv
            } else if type == "application/x-ndjson" || type == "application/jsonl" || type == "application/x-jsonlines" {
                self = .ndjson
            } else {
                switch body.first(where: { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }) {
                case UInt8(ascii: "[")?: self = .jsonArray
                case UInt8(ascii: "{")?: self = .ndjson
                default: self = .csv
                }
            }
        }
    }

    /// The rows of `body`; a 400 naming the row (or line) and field that is wrong.
    public static func rows(_ body: Data, format: Format) throws -> [ResultImportRow] {
        switch format {
        case .jsonArray:
            return try WireJSON.decode([ResultImportRow].self, from: body)
        case .ndjson:
            var rows: [ResultImportRow] = []
            for (index, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { continue }
                do {
                    rows.append(try WireJSON.decode(ResultImportRow.self, from: Data(line)))
                } catch let error as APIError {
                    throw APIError.invalidArgument("body", "line \(index + 1): \(error.message)")
                }
            }
            return rows
        case .csv:
            return try csvRows(body)
        }
    }

    private static func csvRows(_ body: Data) throws -> [ResultImportRow] {
        var records = try CSVReader.records(body)
        guard !records.isEmpty else { return [] }
        let header = records.removeFirst()
        let columns = try header.map(CSVColumn.init)
        return try records.enumerated().map { index, record in
            guard record.count == header.count else {
                throw APIError.invalidArgument("body", "CSV record \(index + 2) has \(record.count) cells; the header has \(header.count)")
            }
            var row = ResultImportRow()
            for (column, cell) in zip(columns, record) {
                do {
                    try column.apply(cell, to: &row)
                } catch let error as APIError {
                    throw APIError.invalidArgument("body", "CSV record \(index + 2): \(error.message)")
                }
            }
            return row
        }
    }

    /// What one CSV header cell names.
    enum CSVColumn {
        case resultID, source(String), destination(String), abstractPermissions, concretePermissions, reviewers, decision, notes
        /// A column an export writes that a load does not take (sign-off, history): skipped.
        case exportOnly

        init(_ name: String) throws {
            switch name {
            case "result_id": self = .resultID
            case "abstract_permissions": self = .abstractPermissions
            case "concrete_permissions": self = .concretePermissions
            case "reviewers": self = .reviewers
            case "decision": self = .decision
            case "notes": self = .notes
            case "signed_off_state", "signed_off_at", "signed_off_by", "updated_at", "updated_by", "action_log": self = .exportOnly
            case _ where name.hasPrefix("source.") && ResultImportRow.problem(withName: String(name.dropFirst(7))) == nil:
                self = .source(String(name.dropFirst(7)))
            case _ where name.hasPrefix("destination.") && ResultImportRow.problem(withName: String(name.dropFirst(12))) == nil:
                self = .destination(String(name.dropFirst(12)))
            default:
                throw APIError.invalidArgument(
                    "body",
                    "CSV column \"\(name)\" is not a result field; use result_id, source.<property>, destination.<property>, "
                        + "abstract_permissions, concrete_permissions, reviewers, decision or notes")
            }
        }

        func apply(_ raw: String, to row: inout ResultImportRow) throws {
            let cell = ResultImport.unescaped(raw)
            switch self {
            case .resultID:
                guard !cell.isEmpty else { return }
                guard let id = Int64(cell), id >= 0 else { throw APIError.invalidArgument("result_id", "result_id \"\(cell)\" is not a whole number ≥ 0") }
                row.resultID = id
            case .source(let name):
                if let value = CSVReader.jsonValue(ofCell: cell) { row.source[name] = value }
            case .destination(let name):
                if let value = CSVReader.jsonValue(ofCell: cell) { row.destination[name] = value }
            case .abstractPermissions:
                row.abstractPermissions = ResultImport.list(cell)
            case .concretePermissions:
                row.concretePermissions = ResultImport.list(cell)
            case .reviewers:
                row.reviewers = ResultImport.list(cell).map { WorkflowUser(userType: "", id: $0, email: $0, name: "") }
            case .decision:
                guard !cell.isEmpty else { return }
                guard let decision = ResultDecision(wireName: cell) else {
                    throw APIError.invalidArgument("decision", "\"\(cell)\" is not a decision; expected one of \(ResultDecision.allowedNames)")
                }
                row.decision = decision
            case .notes:
                row.notes = cell
            case .exportOnly:
                break
            }
        }
    }

    static func unescaped(_ cell: String) -> String {
        guard cell.first == "'", let next = cell.dropFirst().first, "=+-@\t\r".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    static func list(_ cell: String) -> [String] {
        cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
