/// PostgreSQL: `$n` placeholders, `lower((x) COLLATE "C")` (ASCII only), `COLLATE "C"` for byte-wise
/// ordering, `LIKE` (case-sensitive) for substring matches, `jsonb_array_elements_text` for arrays.
///
/// An index serving case-insensitive equality is an expression index on `lower((column) COLLATE "C")`.
public struct PostgreSQLDialect: SQLDialect {
    public init() {}

    public func placeholder(_ index: Int) -> String { "$\(index)" }

    public func asciiLowercased(_ expression: String) -> String { "lower((\(expression)) COLLATE \"C\")" }

    public func byteOrdered(_ expression: String) -> String { "(\(expression)) COLLATE \"C\"" }

    public func patternMatch(
        _ expression: String, _ kind: SQLPatternKind, literal: String, caseSensitive: Bool, placeholder: String
    ) -> (sql: String, bind: String) {
        ("\(expression) LIKE \(placeholder) ESCAPE '\\'", likePattern(literal, kind))
    }

    public func arrayElements(of expression: String) -> (source: String, element: String) {
        ("jsonb_array_elements_text((\(expression))::jsonb) AS elem(value)", "elem.value")
    }

    public func arrayLength(of expression: String) -> String { "jsonb_array_length((\(expression))::jsonb)" }
}
