import Foundation

/// How `warden serve` listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key; HTTPS when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Where export files are written (`exports/` under the data directory).
    public var exportDirectory: URL

    public init(host: String = "127.0.0.1", port: Int = 8080, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, exportDirectory: URL) {
        self.host = host
        self.port = port
        self.exportDirectory = exportDirectory
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
    }

    /// `https` when TLS is configured, else `http`.
    public var scheme: String { tlsCertificatePath != nil && tlsKeyPath != nil ? "https" : "http" }
}
