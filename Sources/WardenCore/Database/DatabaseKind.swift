import SCIMFilter

/// The two databases Warden runs on.
public enum DatabaseKind: String, Sendable, Equatable, CaseIterable {
    case sqlite
    case postgres

    /// The filter compiler's dialect for this database.
    public var filterDialect: any SCIMFilter.SQLDialect {
        switch self {
        case .sqlite: SQLiteDialect()
        case .postgres: PostgreSQLDialect()
        }
    }
}
