import NIOSSL
import PostgresNIO

/// A failure talking to PostgreSQL: the server's own error, or a connection that could not be made
/// or was lost. Made from PostgresNIO's errors, whose descriptions leave out the details on purpose.
public enum PostgresError: Error, CustomStringConvertible {
    /// An ErrorResponse: its SQLSTATE code, message and, when given, detail and hint.
    case server(sqlState: String, message: String, detail: String?, hint: String?)
    /// The connection could not be made or was lost.
    case connection(String)
    /// A message or a value that the protocol does not allow.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .server(let sqlState, let message, let detail, let hint):
            "PostgreSQL error \(sqlState): \(message)" + (detail.map { " (\($0))" } ?? "") + (hint.map { " Hint: \($0)" } ?? "")
        case .connection(let message): "PostgreSQL connection failed: \(message)"
        case .protocolViolation(let message): "PostgreSQL protocol violation: \(message)"
        }
    }

    /// The SQLSTATE of a server error.
    public var sqlState: String? {
        if case .server(let sqlState, _, _, _) = self { return sqlState }
        return nil
    }

    /// Whether the statement never ran because the connection was gone: the server closed it (a
    /// restart, a failover, `pg_terminate_backend`) or the network dropped it. Such a statement
    /// may be retried on a new connection.
    var isConnectionLoss: Bool {
        switch self {
        case .connection: true
        // admin_shutdown, crash_shutdown, cannot_connect_now
        case .server(let sqlState, _, _, _): ["57P01", "57P02", "57P03"].contains(sqlState)
        case .protocolViolation: false
        }
    }

    /// Warden's error for one of PostgresNIO's; `settings` say what was asked for, for the message.
    init(_ error: PSQLError, settings: PostgresSettings) {
        if let info = error.serverInfo, let sqlState = info[.sqlState] {
            self = .server(sqlState: sqlState, message: info[.message] ?? "unknown error", detail: info[.detail], hint: info[.hint])
            return
        }
        let underlying = error.underlying.map { ": \(String(describing: $0))" } ?? ""
        switch error.code {
        case .sslUnsupported:
            self = .connection(
                "\(settings.redacted) does not offer TLS, and sslmode=\(settings.tlsMode.rawValue) requires it; "
                    + "turn on ssl in the server's postgresql.conf, or use sslmode=prefer or disable")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            self = .connection("TLS could not be set up with \(settings.redacted)\(underlying)")
        case .authMechanismRequiresPassword:
            self = .connection("the server asks for \(settings.username)'s password; give it in the database URL")
        case .unsupportedAuthMechanism, .saslError:
            self = .connection("signing in as \(settings.username) failed (\(error.code))\(underlying)")
        case .connectionError where error.underlying is NIOSSLError || error.underlying is NIOSSLExtraError || error.underlying is BoringSSLError:
            self = .connection("the TLS handshake with \(settings.redacted) failed\(underlying)")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            self = .connection("\(settings.redacted): \(error.code)\(underlying)")
        default:
            self = .protocolViolation("\(error.code)\(underlying)")
        }
    }
}
