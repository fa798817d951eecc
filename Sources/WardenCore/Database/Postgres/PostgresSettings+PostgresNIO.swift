import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresSettings {
    /// PostgresNIO's pooled client configured as these settings say.
    public func clientConfiguration() throws(DatabaseError) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch (tlsMode, try tlsConfiguration()) {
            case (_, nil): .disable
            case (.prefer, let tls?): .prefer(tls)
            case (_, let tls?): .require(tls)
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket:
            configuration = .init(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        }
        configuration.options.maximumConnections = poolSize
        // PostgresNIO 1.33's pool opens a connection for a waiting lease only when the lease is
        // asked for, or when a closed connection leaves fewer than the minimum: a lease that waits
        // while the server closes every connection (a restart) would wait forever with a minimum
        // of zero. One connection is kept open, so such a lease is served.
        configuration.options.minimumConnections = poolSize > 1 ? 1 : 0
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// A single PostgresNIO connection configured as these settings say.
    func connectionConfiguration() throws(DatabaseError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch (tlsMode, try tlsConfiguration()) {
            case (_, nil): .disable
            case (.prefer, let tls?): .prefer(try Self.context(tls))
            case (_, let tls?): .require(try Self.context(tls))
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket:
            configuration = .init(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        }
        configuration.options.connectTimeout = .milliseconds(connectTimeout.milliseconds)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// What every connection asks for at start: its name, UTF-8, and the statement timeout.
    private var startupParameters: [(String, String)] {
        [("application_name", applicationName), ("client_encoding", "UTF8"), ("statement_timeout", String(statementTimeout.milliseconds))]
    }

    private var unixSocketPath: String {
        guard case .unixSocket(let folder, let port) = endpoint else { return "" }
        return "\(folder)/.s.PGSQL.\(port)"
    }

    /// The TLS that `sslmode` asks for, or nil for none. As in libpq, `prefer` and `require` do
    /// not check the certificate, except that `require` with an `sslrootcert` checks it as
    /// `verify-ca` does.
    func tlsConfiguration() throws(DatabaseError) -> TLSConfiguration? {
        guard case .tcp = endpoint, tlsMode != .disable else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable, .prefer: tls.certificateVerification = .none
        case .require: tls.certificateVerification = rootCertificatePath == nil ? .none : .noHostnameVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        do {
            if let rootCertificatePath {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
            }
            if let clientCertificatePath, let clientKeyPath {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificatePath).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKeyPath, format: .pem))
            }
        } catch {
            throw .badURL("the database URL's sslrootcert, sslcert or sslkey could not be read as PEM: \(error)")
        }
        return tls
    }

    private static func context(_ tls: TLSConfiguration) throws(DatabaseError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .badURL("the database URL's TLS settings are not usable: \(error)")
        }
    }
}
