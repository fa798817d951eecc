/// One versioned schema change, applied once, in its own transaction.
///
/// Statements are written once for both databases; these placeholders differ by dialect:
/// `{bigint}` (64-bit integer), `{bool}`, `{blob}`, `{json}` (JSON text / jsonb).
public struct Migration: Sendable {
    /// A unique, never reused id such as `core.0001_api_keys`.
    public let id: String
    public let statements: [String]

    public init(_ id: String, _ statements: [String]) {
        self.id = id
        self.statements = statements
    }

    /// The statements with the dialect's types filled in.
    public func sql(for kind: DatabaseKind) -> [String] {
        let types: [(String, String)] = switch kind {
        case .sqlite: [("{bigint}", "INTEGER"), ("{bool}", "INTEGER"), ("{blob}", "BLOB"), ("{json}", "TEXT")]
        case .postgres: [("{bigint}", "BIGINT"), ("{bool}", "BOOLEAN"), ("{blob}", "BYTEA"), ("{json}", "JSONB")]
        }
        return statements.map { statement in
            types.reduce(statement) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
    }
}
