import SCIMFilter

/// One value as Warden binds it to a statement or reads it from a row, the same for both databases.
///
/// Timestamps travel as int64 nanoseconds; SQLite reads booleans back as integers 0 and 1.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case boolean(Bool)
}

/// A Swift value that binds as a `DatabaseValue`.
public protocol DatabaseValueConvertible: Sendable {
    var databaseValue: DatabaseValue { get }
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(self) }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .double(self) }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .boolean(self) }
}

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(nanosecondsSinceEpoch) }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
}

extension SCIMFilter.SQLBind: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .text(let value): .text(value)
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        case .boolean(let value): .boolean(value)
        }
    }
}
