import Foundation

/// Where Warden keeps its data: an embedded SQLite file, or a PostgreSQL server.
public enum DatabaseConfiguration: Sendable, Equatable {
    /// An SQLite database file; `path` is created with its folder when missing.
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresSettings)

    /// The configuration a `serve`, `migrate`, `token` or `demo` command means: `--database-url`
    /// (or `WARDEN_DATABASE_URL`) when given, else `warden.sqlite` under the data directory.
    public static func resolve(databaseURL: String?, dataDirectory: String) throws -> DatabaseConfiguration {
        let url = databaseURL ?? ProcessInfo.processInfo.environment["WARDEN_DATABASE_URL"]
        guard let url, !url.isEmpty else {
            return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("warden.sqlite"))
        }
        return try parse(url)
    }

    /// Parses a PostgreSQL URL (see `PostgresSettings`), `sqlite:PATH` or `sqlite://PATH`.
    public static func parse(_ url: String) throws -> DatabaseConfiguration {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw DatabaseError.badURL("sqlite URL has no path: \(url)") }
            return .sqlite(path: path)
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw DatabaseError.badURL("database URL must start with postgres://, postgresql:// or sqlite: (got \(url.prefix(while: { $0 != ":" })):…)")
        }
        return .postgres(try PostgresSettings.parse(url))
    }

    /// A description safe for logs: never the password.
    public var redacted: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let settings): settings.redacted
        }
    }
}

/// A failure to configure or reach the database.
public enum DatabaseError: Error, CustomStringConvertible {
    case badURL(String)
    case migration(String)
    case decoding(String)
    case sqlite(String)

    public var description: String {
        switch self {
        case .badURL(let message), .migration(let message), .decoding(let message), .sqlite(let message): message
        }
    }
}
