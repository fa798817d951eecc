/// The type of a catalog field: how its values are written in filters, stored in SQL and held in records.
public enum FieldType: Hashable, Sendable {
    /// Text. SQL: a text column. Record: a JSON string.
    case string
    /// A whole number. SQL: an integer column. Record: a JSON number. Filter: an integral number literal.
    case integer
    /// A floating-point number. SQL: a real / double precision column. Record: a JSON number.
    case double
    /// SQL: a boolean column (0/1 in SQLite). Record: a JSON boolean. Filter: `true`/`false` or `"true"`/`"false"`.
    case boolean
    /// SQL: `Int64` nanoseconds since the epoch. Record: an RFC 3339 string. Filter: an RFC 3339 string literal.
    case timestamp
    /// One of the canonical names, whose index is its number. SQL: the canonical name as text.
    /// Record: the name (or its number). Filter: the name in any case, or the number.
    case enumeration([String])
    /// Multi-valued text. SQL: a JSON array text column (or NULL). Record: a JSON array of strings (or null).
    case stringArray
}
