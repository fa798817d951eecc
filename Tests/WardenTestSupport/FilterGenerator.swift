import SCIMFilter
import WardenCore

/// Generates random valid filters over a `FieldCatalog`, and random records for them, from small value
/// pools so that matches are frequent. Deterministic for a given seed.
///
/// Filters nest up to `maximumDepth` levels of `and`/`or`/`not`/value paths and use only the operators
/// each field allows, with literals of the field's type: `eq null`/`ne null`, booleans quoted and not,
/// enumeration names in random case and as numbers, RFC 3339 timestamps in several spellings, and
/// strings with `%`, `_`, `\`, `*`, `?`, `[`, quotes, mixed case and non-ASCII letters (`é`, `ß`,
/// decomposed `é`...), including prefixes, suffixes and infixes of the record values.
///
/// Records are keyed by the fields' wire names (a dotted name stays one flat key). A field is absent,
/// `null`, or holds its type's JSON form: strings, numbers, booleans, enumeration names (canonical),
/// RFC 3339 strings (not always in canonical form: store `Timestamp(rfc3339:)!.nanosecondsSinceEpoch`),
/// and arrays of strings (possibly empty: store JSON array text). Store absent and `null` as SQL NULL.
public struct FilterGenerator: Sendable {
    /// Strings that records hold and literals are made from.
    public static let strings: [String] = [
        "", "alice", "Alice", "ALICE", "bob", "Bob Smith", "bob smith", "carol_1", "100%", "50% off", "a_b",
        "a\\b", "C:\\Temp", "say \"hi\"", "café", "CAFÉ", "Café", "cafe\u{301}", "straße", "STRASSE", "Ωmega",
        "ß", "é", "x*y", "what?", "[tag]", "🙂 ok", "ERRORED",
    ]
    /// Whole numbers records hold and literals use.
    public static let integers: [Int64] = [-1, 0, 1, 2, 3, 10, 42, 100]
    /// Fractional numbers records hold and literals use.
    public static let doubles: [Double] = [-1.5, 0, 0.5, 1, 2.25, 3.75, 100]
    /// Instants, each written in several RFC 3339 spellings.
    public static let timestamps: [[String]] = [
        ["2026-01-01T00:00:00Z", "2026-01-01t00:00:00z", "2025-12-31T23:00:00-01:00", "2026-01-01 01:00:00+01:00"],
        ["2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.500000000Z", "2026-01-01T02:00:00.5+02:00"],
        ["2026-06-15T12:30:45.123456789Z", "2026-06-15T14:30:45.123456789+02:00"],
        ["1999-12-31T23:59:59.999999999Z", "2000-01-01T00:59:59.999999999+01:00"],
        ["2030-02-28T08:00:00Z", "2030-02-28T03:00:00-05:00"],
    ]

    /// The catalog whose fields filters and records use.
    public let catalog: FieldCatalog
    /// The random source; copy it to replay.
    public var random: SplitMix64
    /// How deeply generated filters nest.
    public var maximumDepth = 4

    /// Creates a generator for a catalog; the catalog needs at least one field with an operator.
    public init(catalog: FieldCatalog, seed: UInt64) {
        self.catalog = catalog
        random = SplitMix64(seed: seed)
    }

    // MARK: Filters

    /// A random filter that `catalog.validate` accepts.
    public mutating func expression() -> FilterExpression {
        expression(depth: maximumDepth)
    }

    private mutating func expression(depth: Int) -> FilterExpression {
        if depth == 0 || chance(35) { return comparison() }
        switch below(10) {
        case 0..<4: return .and(expression(depth: depth - 1), expression(depth: depth - 1))
        case 4..<7: return .or(expression(depth: depth - 1), expression(depth: depth - 1))
        case 7..<9: return .not(expression(depth: depth - 1))
        default:
            let arrays = catalog.fields.filter { $0.type == .stringArray && !$0.operators.isEmpty }
            guard !arrays.isEmpty else { return .not(expression(depth: depth - 1)) }
            let field = pick(arrays)
            var inner = elementComparison(field)
            if chance(50) {
                inner = chance(50) ? .and(inner, elementComparison(field)) : .or(inner, elementComparison(field))
            }
            if chance(20) { inner = .not(inner) }
            return .valuePath(path(field.name), inner)
        }
    }

    private mutating func comparison() -> FilterExpression {
        let fields = catalog.fields.filter { !usableOperators($0).isEmpty }
        precondition(!fields.isEmpty, "FilterGenerator needs a catalog field with a usable operator")
        let field = pick(fields)
        let op = pick(usableOperators(field))
        return comparison(path(field.name), op, field)
    }

    private mutating func elementComparison(_ field: CatalogField) -> FilterExpression {
        comparison(path(chance(50) ? "value" : "VALUE"), pick(usableOperators(field)), field)
    }

    private mutating func comparison(
        _ path: AttributePath, _ op: FilterOperator, _ field: CatalogField
    ) -> FilterExpression {
        if op == .pr { return .present(path) }
        if op == .eq || op == .ne, chance(12) { return .comparison(path, op, .null) }
        let value: FilterValue
        switch field.type {
        case .string, .stringArray:
            value = .string(stringLiteral())
        case .integer:
            value = .number(Double(pick(Self.integers)))
        case .double:
            value = .number(chance(70) ? pick(Self.doubles) : Double(pick(Self.integers)))
        case .boolean:
            let boolean = chance(50)
            value = chance(50) ? .boolean(boolean) : .string(randomCase(boolean ? "true" : "false"))
        case .timestamp:
            value = .string(pick(pick(Self.timestamps)))
        case .enumeration(let names):
            if op.isSubstring {
                value = .string(randomCase(fragment(of: pick(names))))
            } else if chance(25) {
                value = .number(Double(below(names.count)))
            } else {
                value = .string(randomCase(pick(names)))
            }
        }
        return .comparison(path, op, value)
    }

    /// The operators the field allows that its type supports.
    private func usableOperators(_ field: CatalogField) -> [FilterOperator] {
        FilterOperator.allCases.filter { op in
            guard field.operators.contains(op) else { return false }
            switch field.type {
            case .string, .stringArray: return true
            case .integer, .double, .timestamp: return !op.isSubstring
            case .boolean: return !op.isSubstring && !op.isOrdering
            case .enumeration: return !op.isOrdering
            }
        }
    }

    /// The field name in random ASCII case, split at the first dot.
    private mutating func path(_ name: String) -> AttributePath {
        AttributePath(randomCase(name))
    }

    private mutating func stringLiteral() -> String {
        switch below(10) {
        case 0..<4: return pick(Self.strings)
        case 4..<7: return fragment(of: pick(Self.strings))
        case 7..<9:
            let text = pick(Self.strings)
            return chance(50) ? randomCase(text) : (chance(50) ? text.uppercased() : text.lowercased())
        default: return pick(["%", "_", "\\", "*", "?", "[", "\"", "é", "ß", "E"])
        }
    }

    /// A prefix, suffix or infix of `text`, cut between Unicode scalars.
    private mutating func fragment(of text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return text }
        var start = below(scalars.count)
        var end = start + 1 + below(scalars.count - start)
        switch below(3) {
        case 0: start = 0
        case 1: end = scalars.count
        default: break
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[start..<end])
        return result
    }

    private mutating func randomCase(_ text: String) -> String {
        String(decoding: text.utf8.map { byte in
            guard (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") else { return byte }
            return chance(50) ? byte ^ 0x20 : byte
        }, as: UTF8.self)
    }

    // MARK: Records

    /// A random record: each catalog field absent (about 10%), `null` (about 10%) or holding a value from the pools.
    public mutating func record() -> [String: JSONValue] {
        var record: [String: JSONValue] = [:]
        for field in catalog.fields {
            switch below(10) {
            case 0: continue
            case 1: record[field.name] = .null
            default: record[field.name] = value(for: field.type)
            }
        }
        return record
    }

    private mutating func value(for type: FieldType) -> JSONValue {
        switch type {
        case .string: return .string(pick(Self.strings))
        case .integer: return .number(Double(pick(Self.integers)))
        case .double: return .number(pick(Self.doubles))
        case .boolean: return .bool(chance(50))
        case .timestamp: return .string(pick(pick(Self.timestamps)))
        case .enumeration(let names): return .string(pick(names))
        case .stringArray: return .array((0..<below(4)).map { _ in .string(pick(Self.strings)) })
        }
    }

    // MARK: Randomness

    private mutating func below(_ bound: Int) -> Int {
        Int(random.next() % UInt64(bound))
    }

    private mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }
}
