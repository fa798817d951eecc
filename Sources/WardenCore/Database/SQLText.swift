import SCIMFilter

/// SQL text with its bound values, numbered for one database kind.
///
/// Values are always bound, never spliced into the text.
public struct SQLText: Sendable {
    public private(set) var sql: String
    public private(set) var binds: [DatabaseValue]
    public let kind: DatabaseKind

    public init(_ kind: DatabaseKind, _ sql: String = "") {
        self.kind = kind
        self.sql = sql
        self.binds = []
    }

    /// The next placeholder's number, for a compiler that writes its own placeholders.
    public var nextPlaceholder: Int { binds.count + 1 }

    /// Appends literal SQL text.
    public mutating func append(_ text: String) {
        sql += text
    }

    /// Appends a placeholder and binds `value` to it.
    public mutating func append(bind value: some DatabaseValueConvertible) {
        binds.append(value.databaseValue)
        if kind == .postgres {
            sql += "$"
            sql += String(binds.count)
        } else {
            sql += "?"
        }
    }

    /// Appends `values` as a comma-separated list of placeholders.
    public mutating func append(binds values: [any DatabaseValueConvertible]) {
        append(binds: values.map(\.databaseValue))
    }

    /// Appends `values` as a comma-separated list of placeholders.
    public mutating func append(binds values: [DatabaseValue]) {
        for (index, value) in values.enumerated() {
            if index > 0 { sql += ", " }
            append(bind: value)
        }
    }

    /// Appends a compiled filter predicate; its placeholders must start at `nextPlaceholder`.
    public mutating func append(_ predicate: SQLPredicate) {
        sql += predicate.sql
        binds.append(contentsOf: predicate.binds.map(\.databaseValue))
    }
}
