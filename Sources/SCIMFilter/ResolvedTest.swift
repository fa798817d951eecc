/// One test of one field (or of the current array element).
struct ResolvedTest {
    enum Condition {
        /// `eq null`: absent or null (for arrays also empty).
        case isNull
        /// `pr`: not absent, null, `""` or `[]`.
        case present
        case compare(Comparison, Operand)
    }

    enum Comparison {
        case equal, greater, greaterOrEqual, less, lessOrEqual, contains, prefix, suffix
    }

    /// A literal in the stored form of its field; text is already ASCII-folded when `foldsCase`.
    enum Operand {
        case text(String), integer(Int64), double(Double), boolean(Bool), timestamp(Int64)
    }

    /// How the tested value is held.
    enum ValueKind {
        case text, number, boolean, timestamp, textArray
    }

    var field: CatalogField
    /// Whether the test is on an element of the enclosing `elements` rather than on `field` itself.
    var onElement: Bool
    var condition: Condition
    /// Whether text compares with ASCII letters folded to lower case.
    var foldsCase: Bool

    var valueKind: ValueKind {
        if onElement { return .text }
        return switch field.type {
        case .string, .enumeration: .text
        case .integer, .double: .number
        case .boolean: .boolean
        case .timestamp: .timestamp
        case .stringArray: .textArray
        }
    }
}
