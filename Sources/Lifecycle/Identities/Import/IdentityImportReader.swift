import Foundation
import NIOCore
import SCIMFilter
import WardenCore

/// Reads identities from an import body as it arrives: CSV with a header row of attribute names,
/// NDJSON (one object per line) or a JSON array of objects. CSV and NDJSON are read record by
/// record, so a body of any size takes little memory; a JSON array is read whole, up to
/// `jsonArrayLimit` bytes.
///
/// CSV cells are typed as `CSVReader.jsonValue(ofCell:)` says; an empty cell is an absent
/// attribute. An identity whose id appeared before, or that lacks an id, refuses the import
/// with a 400 naming its line.
struct IdentityImportReader {
    enum Format: Sendable {
        case csv, ndjson, jsonArray

        /// The format a `Content-Type` names; nil when it names none of them, so the body decides.
        init?(contentType: String?) {
            switch contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() {
            case "text/csv": self = .csv
            case "application/x-ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
            case "application/json": self = .jsonArray
            default: return nil
            }
        }
    }

    static let jsonArrayLimit = 256 * 1024 * 1024

    let source: IdentitySource
    private(set) var format: Format?
    /// Bytes of records not yet complete.
    private var pending: [UInt8] = []
    /// How far `pending` was scanned for the end of a record, and whether that point is inside quotes.
    private var scanned = 0
    private var inQuotes = false
    /// The line `pending` starts on.
    private var nextLine = 1
    private var header: [String]?
    /// Each id read so far and where.
    private var seen: [String: Int] = [:]
    private(set) var count = 0
    /// Every attribute name any identity had.
    private(set) var attributeNames: Set<String> = []

    init(source: IdentitySource, format: Format?) {
        self.source = source
        self.format = format
    }

    /// The identities of every record `chunk` completes.
    mutating func read(_ chunk: ByteBuffer) throws -> [ImportedIdentity] {
        pending.append(contentsOf: chunk.readableBytesView)
        if format == nil {
            guard let first = pending.first(where: { !Self.isSpace($0) }) else { return [] }
            format = first == UInt8(ascii: "[") ? .jsonArray : first == UInt8(ascii: "{") ? .ndjson : .csv
        }
        switch format {
        case .jsonArray?:
            guard pending.count <= Self.jsonArrayLimit else {
                throw APIError.invalidArgument("body", "a JSON array import is limited to \(Self.jsonArrayLimit / 1024 / 1024) MiB; send larger imports as CSV or NDJSON, which have no limit")
            }
            return []
        case .csv?, .ndjson?, nil:
            let end = completeRecordsEnd()
            guard end > 0 else { return [] }
            let records = Array(pending[..<end])
            pending.removeFirst(end)
            scanned -= end
            return try parse(records, last: false)
        }
    }

    /// The identities of what is left once the body has ended.
    mutating func finish() throws -> [ImportedIdentity] {
        let rest = pending
        pending = []
        if format == .jsonArray { return try parseArray(rest) }
        let identities = try parse(rest, last: true)
        if format == .csv, header == nil { throw APIError.invalidArgument("body", "the CSV body is empty; its first line must name the attributes") }
        return identities
    }

    /// Where the last complete record of `pending` ends: just after its last line feed outside quotes.
    private mutating func completeRecordsEnd() -> Int {
        var end = 0
        let quoting = format == .csv
        for index in scanned..<pending.count {
            let byte = pending[index]
            if quoting, byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: "\n"), !inQuotes {
                end = index + 1
            }
        }
        scanned = pending.count
        return end
    }

    private mutating func parse(_ bytes: [UInt8], last: Bool) throws -> [ImportedIdentity] {
        let firstLine = nextLine
        nextLine += bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        switch format {
        case .ndjson?: return try parseLines(bytes, firstLine: firstLine)
        default: return try parseCSV(bytes, firstLine: firstLine)
        }
    }

    private mutating func parseCSV(_ bytes: [UInt8], firstLine: Int) throws -> [ImportedIdentity] {
        var records = try CSVReader.numberedRecords(Data(bytes), firstLine: firstLine)[...]
        if header == nil, let first = records.popFirst() {
            header = try checkedHeader(first.cells, line: first.line)
            attributeNames.formUnion(first.cells)
        }
        guard let header else { return [] }
        var identities: [ImportedIdentity] = []
        identities.reserveCapacity(records.count)
        for (line, cells) in records {
            guard cells.count == header.count else {
                throw APIError.invalidArgument("body", "line \(line): the record has \(cells.count) cells; the header has \(header.count)")
            }
            var attributes: [String: JSONValue] = [:]
            for (name, cell) in zip(header, cells) {
                if let value = CSVReader.jsonValue(ofCell: cell) { attributes[name] = value }
            }
            identities.append(try identity(attributes, line: line, place: "line \(line)"))
        }
        return identities
    }

    private func checkedHeader(_ cells: [String], line: Int) throws -> [String] {
        var names: Set<String> = []
        for (index, name) in cells.enumerated() {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.invalidArgument("body", "line \(line): column \(index + 1) of the header has no name")
            }
            guard names.insert(name).inserted else {
                throw APIError.invalidArgument("body", "line \(line): the header names \"\(name)\" twice")
            }
        }
        guard names.contains(source.idAttribute) else {
            throw APIError.invalidArgument(
                "body", "line \(line): the header has no column \"\(source.idAttribute)\", the source's id_attribute; it has \(cells.joined(separator: ", "))")
        }
        return cells
    }

    private mutating func parseLines(_ bytes: [UInt8], firstLine: Int) throws -> [ImportedIdentity] {
        var identities: [ImportedIdentity] = []
        for (offset, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { !Self.isSpace($0) }) else { continue }
            let number = firstLine + offset
            identities.append(try identity(try Self.object(Data(line), place: "line \(number)"), line: number, place: "line \(number)"))
        }
        return identities
    }

    private mutating func parseArray(_ bytes: [UInt8]) throws -> [ImportedIdentity] {
        let elements: [JSONValue]
        do {
            elements = try JSONDecoder().decode([JSONValue].self, from: Data(bytes))
        } catch {
            throw APIError.invalidArgument("body", "the body is not a JSON array of identity objects")
        }
        return try elements.enumerated().map { index, element in
            guard case .object(let attributes) = element else {
                throw APIError.invalidArgument("body", "element \(index + 1) of the array is not an object")
            }
            return try identity(attributes, line: index + 1, place: "element \(index + 1)")
        }
    }

    private static func object(_ data: Data, place: String) throws -> [String: JSONValue] {
        guard case .object(let attributes)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw APIError.invalidArgument("body", "\(place) is not a JSON object")
        }
        return attributes
    }

    private mutating func identity(_ attributes: [String: JSONValue], line: Int, place: String) throws -> ImportedIdentity {
        let identity = try ImportedIdentity(attributes: attributes, line: line, where: place, source: source)
        if format != .csv { attributeNames.formUnion(attributes.keys) }
        if let earlier = seen.updateValue(line, forKey: identity.entityID) {
            let earlierPlace = format == .jsonArray ? "element \(earlier)" : "line \(earlier)"
            throw APIError.invalidArgument("body", "\(place): the id \"\(identity.entityID)\" appeared before, on \(earlierPlace); each identity may appear once")
        }
        count += 1
        return identity
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
