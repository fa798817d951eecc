/// What the SQL compiler needs to know about one database: everything dialect-specific is here.
///
/// Every expression a requirement returns must be usable as an operand of a comparison as is
/// (parenthesise when in doubt). Column expressions passed in are already safe to embed.
public protocol SQLDialect: Sendable {
    /// The placeholder for the bind at 1-based position `index`: `?` (SQLite) or `$1` (PostgreSQL).
    func placeholder(_ index: Int) -> String

    /// `expression` with ASCII letters A-Z lowered to a-z and nothing else changed, under a byte-wise
    /// collation, so that it can be compared and ordered against an ASCII-folded literal.
    func asciiLowercased(_ expression: String) -> String

    /// `expression` under a byte-wise collation, for `<`, `<=`, `>`, `>=` on text.
    func byteOrdered(_ expression: String) -> String

    /// A boolean expression: `expression` contains, starts with or ends with `literal`, byte for byte
    /// (case-insensitive matching folds both sides before calling, and passes `caseSensitive: false`).
    /// Returns the SQL, which uses `placeholder` once, and the text to bind to it.
    func patternMatch(
        _ expression: String, _ kind: SQLPatternKind, literal: String, caseSensitive: Bool, placeholder: String
    ) -> (sql: String, bind: String)

    /// A `FROM` item yielding one row per element of the JSON array text `expression`, and the
    /// expression of the element's text in that row.
    func arrayElements(of expression: String) -> (source: String, element: String)

    /// The number of elements of the JSON array text `expression`.
    func arrayLength(of expression: String) -> String
}
