/// A parenthesised, two-valued SQL boolean expression and the values for its placeholders, in order.
public struct SQLPredicate: Hashable, Sendable {
    /// The SQL text; values appear only as placeholders.
    public var sql: String
    /// The values of the placeholders, in the order they appear.
    public var binds: [SQLBind]

    /// Creates a predicate.
    public init(sql: String, binds: [SQLBind]) {
        self.sql = sql
        self.binds = binds
    }
}
