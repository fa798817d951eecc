/// Why a filter was rejected: a syntax error (with its column) or a semantic error (often about one field).
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The full human message, e.g. `expected a comparison operator after "state" at column 7`.
    public var message: String
    /// The 1-based column in the filter text, counted in characters, when it is a syntax error.
    public var column: Int?
    /// The wire name of the field the error is about, when it is about one.
    public var field: String?

    /// Creates an error.
    public init(message: String, column: Int? = nil, field: String? = nil) {
        self.message = message
        self.column = column
        self.field = field
    }

    public var description: String { message }
}

extension FilterError {
    /// `operator "gt" cannot compare booleans ("active")`.
    static func orderingOnBoolean(_ op: FilterOperator, field: String) -> FilterError {
        FilterError(message: "operator \"\(op.rawValue)\" cannot compare booleans (\"\(field)\")", field: field)
    }

    /// An ordering or substring operator used with `null`.
    static func nullOperand(_ op: FilterOperator, field: String) -> FilterError {
        FilterError(
            message: "operator \"\(op.rawValue)\" cannot be used with null (\"\(field)\"); null only works with eq and ne",
            field: field)
    }

    /// A substring operator used with a value that is not a string.
    static func substringNeedsString(_ op: FilterOperator, field: String) -> FilterError {
        FilterError(message: "operator \"\(op.rawValue)\" needs a string value (\"\(field)\")", field: field)
    }
}
