import SCIMFilter
import SQLKit

/// SQL text with its bound values, numbered for one database kind.
///
/// Values are always bound, never spliced into the text.
public struct SQLText: SQLExpression {
    public private(set) var sql: String
    public private(set) var binds: [any Encodable & Sendable]
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
    public mutating func append(bind value: any Encodable & Sendable) {
        binds.append(value)
        sql += kind == .postgres ? "$\(binds.count)" : "?"
    }

    /// Appends `values` as a comma-separated list of placeholders.
    public mutating func append(binds values: [any Encodable & Sendable]) {
        for (index, value) in values.enumerated() {
            if index > 0 { sql += ", " }
            append(bind: value)
        }
    }

    /// Appends a compiled filter predicate; its placeholders must start at `nextPlaceholder`.
    public mutating func append(_ predicate: SQLPredicate) {
        sql += predicate.sql
        binds.append(contentsOf: predicate.binds.map(\.encodable))
    }

    public func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }
}

extension SCIMFilter.SQLBind {
    /// The Swift value both drivers bind natively.
    public var encodable: any Encodable & Sendable {
        switch self {
        case .text(let value): value
        case .integer(let value): value
        case .double(let value): value
        case .boolean(let value): value
        }
    }
}
