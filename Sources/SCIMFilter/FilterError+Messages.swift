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
