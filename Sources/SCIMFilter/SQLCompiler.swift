/// Compiles filters into SQL predicates over a catalog's columns, with the evaluator's semantics.
///
/// Values are always bound, never spliced into the SQL. Every comparison is two-valued (it is never
/// NULL), so `NOT` keeps its meaning on NULL columns: `ne "x"` matches a NULL column.
public struct SQLCompiler: Sendable {
    /// The fields filters may use.
    public let catalog: FieldCatalog
    /// The database the SQL is for.
    public let dialect: any SQLDialect

    /// Creates a compiler for one catalog and one database.
    public init(catalog: FieldCatalog, dialect: any SQLDialect) {
        self.catalog = catalog
        self.dialect = dialect
    }

    /// Validates `expression` against the catalog and compiles it.
    /// Placeholders are numbered from `firstPlaceholder` (SQLite "?", PostgreSQL "$n").
    public func compile(_ expression: FilterExpression, firstPlaceholder: Int = 1) throws(FilterError) -> SQLPredicate {
        var writer = SQLWriter(dialect: dialect, nextPlaceholder: firstPlaceholder)
        writer.write(try catalog.resolve(expression))
        return SQLPredicate(sql: writer.sql, binds: writer.binds)
    }

    /// The placeholder for bind number `index`, so callers can add their own binds after the predicate.
    public func placeholder(_ index: Int) -> String {
        dialect.placeholder(index)
    }
}
