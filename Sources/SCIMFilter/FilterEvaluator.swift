/// Evaluates filters against JSON records in memory, with the semantics of the SQL compiler.
///
/// With a catalog, the filter is validated exactly as `SQLCompiler` validates it, and the record is an
/// object whose members are looked up by field name (a flat `"source.name"` key, or nested objects),
/// each holding its field type's JSON form (see `FieldType`); a member of another JSON type counts
/// as absent. Without a catalog (schema-less), see `FilterEvaluator+SchemaLess.swift`.
///
/// Text comparisons work on UTF-8 bytes: equality is byte equality (no Unicode normalisation),
/// ordering is byte-wise, and case-insensitive comparison folds ASCII letters only (A-Z to a-z),
/// exactly as SQLite's `lower()` and PostgreSQL's `lower(x COLLATE "C")` do.
public struct FilterEvaluator: Sendable {
    /// The catalog filters are validated against, or nil for schema-less evaluation.
    public let catalog: FieldCatalog?

    /// Creates an evaluator; `nil` evaluates schema-less.
    public init(catalog: FieldCatalog? = nil) {
        self.catalog = catalog
    }

    /// Whether `record` satisfies `expression`; throws when the filter is invalid for the catalog, or
    /// (schema-less) uses a literal its operator cannot take or orders a boolean value it meets.
    public func matches(_ expression: FilterExpression, _ record: JSONValue) throws(FilterError) -> Bool {
        if let catalog {
            return try catalog.resolve(expression).matches(record)
        }
        try Self.checkLiterals(expression)
        return try Self.evaluate(expression, in: record)
    }
}
