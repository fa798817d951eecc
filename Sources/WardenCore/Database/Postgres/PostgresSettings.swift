import Foundation

/// Where and how to reach a PostgreSQL server: what a `postgres://` URL says, in libpq's terms.
///
/// The URL is `postgres[ql]://[user[:password]@][host][:port][/database][?parameter=value&...]`,
/// every part percent-decoded exactly once. The parameters are libpq's: `sslmode`, `sslrootcert`,
/// `sslcert`, `sslkey`, `connect_timeout`, `application_name`, and `host`, `port`, `user`,
/// `password` and `dbname` in place of the URL's own parts. A host that starts with `/` is the
/// folder of a Unix socket. Any other parameter is refused, naming it.
public struct PostgresSettings: Sendable, Equatable {
    /// libpq's `sslmode`: how much TLS to insist on.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plaintext only.
        case disable
        /// TLS when the server offers it, else plaintext (with a warning in the log); no certificate check.
        case prefer
        /// TLS or no connection; the certificate is checked against `sslrootcert` when one is given.
        case require
        /// TLS, and the server's certificate must chain to a trusted root.
        case verifyCA = "verify-ca"
        /// As `verify-ca`, and the certificate must name the host connected to.
        case verifyFull = "verify-full"
    }

    /// Where the server listens.
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// A Unix socket: `folder` holds `.s.PGSQL.<port>`.
        case unixSocket(folder: String, port: Int)
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode = .prefer
    /// A PEM file of root certificates to trust (`sslrootcert`); the system's roots when nil.
    public var rootCertificatePath: String?
    /// A PEM client certificate chain and its key (`sslcert`, `sslkey`), for servers that ask for one.
    public var clientCertificatePath: String?
    public var clientKeyPath: String?
    public var connectTimeout: Duration = .seconds(10)
    public var applicationName = "warden"
    /// How many connections Warden keeps open at most (`--database-pool-size`).
    public var poolSize = PostgresSettings.defaultPoolSize
    /// How long one statement may run before the server cancels it (`--database-statement-timeout`).
    public var statementTimeout = PostgresSettings.defaultStatementTimeout

    public static let defaultPoolSize = 16
    public static let defaultStatementTimeout: Duration = .seconds(30)

    public init(endpoint: Endpoint, username: String, password: String?, database: String) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// The libpq parameters a URL may carry.
    static let parameters: Set<String> = [
        "host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name",
    ]

    /// Parses a `postgres://` or `postgresql://` URL.
    public static func parse(_ url: String) throws(DatabaseError) -> PostgresSettings {
        guard let schemeEnd = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound]) else {
            throw .badURL("a PostgreSQL URL starts with postgres:// or postgresql://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var values: [String: String] = [:]
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                values["user"] = try decode(userInfo[..<colon], part: "user name")
                values["password"] = try decode(userInfo[userInfo.index(after: colon)...], part: "password")
            } else {
                values["user"] = try decode(userInfo, part: "user name")
            }
        }
        let (host, port) = try splitHostAndPort(rest)
        if let host { values["host"] = try decode(host, part: "host") }
        if let port { values["port"] = String(port) }
        if !path.isEmpty { values["dbname"] = try decode(path, part: "database name") }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (name, value) = pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) } ?? (pair, "")
            let key = try decode(name, part: "parameter name")
            guard parameters.contains(key) else {
                throw .badURL(
                    "the database URL's parameter \"\(key)\" is not supported; Warden takes \(parameters.sorted().joined(separator: ", "))")
            }
            values[key] = try decode(value, part: "parameter \(key)")
        }
        return try PostgresSettings(values: values)
    }

    /// Settings from libpq parameter values.
    private init(values: [String: String]) throws(DatabaseError) {
        let port: Int
        if let text = values["port"] {
            guard let number = Int(text), (1...65_535).contains(number) else {
                throw .badURL("the database URL's port \"\(text)\" is not a port number (1-65535)")
            }
            port = number
        } else {
            port = 5432
        }
        let host = values["host"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        guard !host.contains(",") else {
            throw .badURL("the database URL names several hosts (\(host)); Warden connects to one")
        }
        let endpoint: Endpoint = host.hasPrefix("/") ? .unixSocket(folder: host, port: port) : .tcp(host: host, port: port)
        let username = values["user"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        self.init(endpoint: endpoint, username: username, password: values["password"], database: values["dbname"].flatMap { $0.isEmpty ? nil : $0 } ?? username)
        if let mode = values["sslmode"] {
            guard let tlsMode = TLSMode(rawValue: mode) else {
                throw .badURL(
                    "the database URL's sslmode \"\(mode)\" is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.tlsMode = tlsMode
        }
        if case .unixSocket(let folder, _) = endpoint, tlsMode != .disable, tlsMode != .prefer {
            throw .badURL("sslmode=\(tlsMode.rawValue) cannot be met over the Unix socket in \(folder): PostgreSQL does not use TLS there")
        }
        rootCertificatePath = try Self.file(values["sslrootcert"], parameter: "sslrootcert")
        clientCertificatePath = try Self.file(values["sslcert"], parameter: "sslcert")
        clientKeyPath = try Self.file(values["sslkey"], parameter: "sslkey")
        guard (clientCertificatePath == nil) == (clientKeyPath == nil) else {
            throw .badURL("the database URL's sslcert and sslkey go together; give both or neither")
        }
        if let timeout = values["connect_timeout"] {
            guard let seconds = Int(timeout), seconds >= 0 else {
                throw .badURL("the database URL's connect_timeout \"\(timeout)\" is not a whole number of seconds")
            }
            // As in libpq: zero waits indefinitely, and less than two seconds means two.
            connectTimeout = seconds == 0 ? .seconds(3_600) : .seconds(max(2, seconds))
        }
        if let name = values["application_name"] {
            applicationName = name
        }
    }

    /// A certificate or key file that must exist, so that a typo fails at start and names the file.
    private static func file(_ path: String?, parameter: String) throws(DatabaseError) -> String? {
        guard let path, !path.isEmpty else { return nil }
        let expanded = (path as NSString).expandingTildeInPath
        guard FileManager.default.isReadableFile(atPath: expanded) else {
            throw .badURL("the database URL's \(parameter) file \(path) does not exist or cannot be read")
        }
        return expanded
    }

    /// The host and port of `hostSpec`: `host`, `host:port`, `[v6]`, `[v6]:port` or `:port`.
    private static func splitHostAndPort(_ hostSpec: Substring) throws(DatabaseError) -> (Substring?, Int?) {
        var host = hostSpec
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw .badURL("the database URL's IPv6 address \(hostSpec) has no closing ]") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .badURL("the database URL's host \(hostSpec) has text after its IPv6 address")
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw .badURL("the database URL's port \"\(portText)\" is not a port number (1-65535)")
            }
            port = number
        }
        return (host.isEmpty ? nil : host, port)
    }

    /// `text` percent-decoded once; a `+` stays a `+`.
    private static func decode(_ text: Substring, part: String) throws(DatabaseError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw .badURL("the database URL's \(part) is not valid percent-encoding")
        }
        return decoded
    }

    /// A description safe for logs: never the password.
    public var redacted: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(username)@\(shown):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
        case .unixSocket(let folder, let port):
            return "postgres://\(username)@/\(database)?host=\(folder)&port=\(port)"
        }
    }
}
