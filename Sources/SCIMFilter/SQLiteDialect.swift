/// SQLite: `?` placeholders, `lower()` (ASCII only), `LIKE` for case-insensitive and `GLOB` for
/// case-sensitive substring matches, JSON1's `json_each` for arrays.
///
/// Booleans are stored as 0/1. Text columns should use the default BINARY collation.
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public func placeholder(_ index: Int) -> String { "?" }

    public func asciiLowercased(_ expression: String) -> String { "lower(\(expression))" }

    public func byteOrdered(_ expression: String) -> String { "\(expression) COLLATE BINARY" }

    public func patternMatch(
        _ expression: String, _ kind: SQLPatternKind, literal: String, caseSensitive: Bool, placeholder: String
    ) -> (sql: String, bind: String) {
        guard caseSensitive else {
            return ("\(expression) LIKE \(placeholder) ESCAPE '\\'", likePattern(literal, kind))
        }
        var pattern = kind == .prefix ? "" : "*"
        for scalar in literal.unicodeScalars {
            switch scalar {
            case "*": pattern += "[*]"
            case "?": pattern += "[?]"
            case "[": pattern += "[[]"
            default: pattern.unicodeScalars.append(scalar)
            }
        }
        if kind != .suffix { pattern += "*" }
        return ("\(expression) GLOB \(placeholder)", pattern)
    }

    public func arrayElements(of expression: String) -> (source: String, element: String) {
        ("json_each(\(expression)) AS elem", "elem.value")
    }

    public func arrayLength(of expression: String) -> String { "json_array_length(\(expression))" }
}
