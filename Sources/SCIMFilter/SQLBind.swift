/// A value bound to a placeholder of a compiled predicate.
public enum SQLBind: Hashable, Sendable {
    case text(String)
    /// Integers, and timestamps as nanoseconds since the epoch.
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
}
