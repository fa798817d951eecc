/// A failure talking to PostgreSQL: the server's own error, or a broken or unexpected conversation.
public enum PostgresError: Error, CustomStringConvertible {
    /// An ErrorResponse: its SQLSTATE code, message and, when given, detail and hint.
    case server(sqlState: String, message: String, detail: String?, hint: String?)
    /// The connection could not be made or was lost.
    case connection(String)
    /// The server asked for something this client does not do, e.g. an authentication method.
    case unsupported(String)
    /// A message that the protocol does not allow at this point.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .server(let sqlState, let message, let detail, let hint):
            "PostgreSQL error \(sqlState): \(message)" + (detail.map { " (\($0))" } ?? "") + (hint.map { " Hint: \($0)" } ?? "")
        case .connection(let message): "PostgreSQL connection failed: \(message)"
        case .unsupported(let message): "PostgreSQL: \(message)"
        case .protocolViolation(let message): "PostgreSQL protocol violation: \(message)"
        }
    }

    /// The SQLSTATE of a server error.
    public var sqlState: String? {
        if case .server(let sqlState, _, _, _) = self { return sqlState }
        return nil
    }

    /// Whether the connection can still be used after this error.
    var leavesConnectionUsable: Bool {
        if case .server = self { return true }
        return false
    }
}
