import SCIMFilter
import WardenCore

/// A node property that some row of a certification has (`source.is_active`), with the type its
/// values have across the rows, so filters compare it as that type.
public struct ResultProperty: Sendable, Hashable {
    /// `source` or `destination`.
    public var side: String
    public var name: String
    public var type: Kind

    /// What the property's non-null values are in every row that has it.
    public enum Kind: String, Sendable {
        case string, integer, double, boolean
        case stringArray = "string_array"
        /// Values of several types (or objects): compared as their text.
        case mixed

        /// The kind of one value; nil for null.
        init?(of value: JSONValue) {
            switch value {
            case .null: return nil
            case .bool: self = .boolean
            case .number(let number): self = Int64(exactly: number) != nil ? .integer : .double
            case .string: self = .string
            case .array(let elements):
                self = elements.allSatisfy { if case .string = $0 { true } else { false } } ? .stringArray : .mixed
            case .object: self = .mixed
            }
        }

        /// The kind of a property holding values of both kinds.
        func merged(with other: Kind) -> Kind {
            if self == other { return self }
            if Set([self, other]) == [.integer, .double] { return .double }
            return .mixed
        }
    }

    public init(side: String, name: String, type: Kind) {
        self.side = side
        self.name = name
        self.type = type
    }

    /// Whether filters can name the property: SCIM attribute names are a letter, then letters,
    /// digits, `_` and `-`. Only such names go into SQL, inside a quoted JSON path.
    static func isFilterable(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.utf8.count <= 128 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// A property's identity: which object, and its name there.
    struct Key: Hashable, Comparable {
        var side: String
        var name: String

        static func < (left: Key, right: Key) -> Bool { (left.side, left.name) < (right.side, right.name) }
    }

    /// The most properties one certification's rows may have, counting source and destination.
    static let maximumCount = 500

    /// The properties of `rows` with their kinds, merged into `known`.
    static func merging(_ rows: [ResultImportRow], into known: [Key: Kind]) -> [Key: Kind] {
        var kinds = known
        for row in rows {
            for (side, object) in [("source", row.source), ("destination", row.destination)] {
                for (name, value) in object {
                    guard let kind = Kind(of: value) else { continue }
                    let key = Key(side: side, name: name)
                    kinds[key] = kinds[key].map { $0.merged(with: kind) } ?? kind
                }
            }
        }
        return kinds
    }

    /// The catalog field filters use for this property: its SQL expression and type.
    func field(_ kind: DatabaseKind) -> CatalogField {
        let column: String
        let fieldType: FieldType
        switch kind {
        case .sqlite:
            let path = "\(side), '$.\"\(name)\"'"
            switch type {
            case .string, .stringArray: column = "json_extract(\(path))"
            case .integer, .double, .boolean: column = "json_extract(\(path))"
            case .mixed:
                column = "CASE json_type(\(path)) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(\(path)) AS TEXT) END"
            }
        case .postgres:
            // Each cast is guarded by the value's JSON type, so a value of another type (in a row
            // loaded after the catalog was read) is NULL, never a failed cast.
            let text = "(\(side)->>'\(name)')"
            let typeOf = "jsonb_typeof(\(side)->'\(name)')"
            switch type {
            case .string, .mixed: column = text
            case .integer, .double: column = "CASE WHEN \(typeOf) = 'number' THEN \(text)::double precision END"
            case .boolean: column = "CASE WHEN \(typeOf) = 'boolean' THEN \(text)::boolean END"
            case .stringArray: column = "CASE WHEN \(typeOf) = 'array' THEN \(side)->'\(name)' END"
            }
        }
        switch type {
        case .string, .mixed: fieldType = .string
        case .integer: fieldType = .integer
        case .double: fieldType = .double
        case .boolean: fieldType = .boolean
        case .stringArray: fieldType = .stringArray
        }
        let operators: Set<FilterOperator> =
            switch fieldType {
            case .boolean: [.eq, .ne, .pr]
            case .stringArray: [.eq, .ne, .co, .sw, .ew, .pr]
            case .integer, .double: [.eq, .ne, .gt, .ge, .lt, .le, .pr]
            default: Set(FilterOperator.allCases)
            }
        return CatalogField("\(side).\(name)", column: column, type: fieldType, operators: operators, sortable: fieldType != .stringArray)
    }
}
