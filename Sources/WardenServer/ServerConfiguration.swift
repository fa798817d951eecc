import WebUI

/// How `warden serve` listens, and how often it sweeps its exports.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key; HTTPS when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// How often expired exports and leftover partial files are removed (also once at start).
    public var exportSweepInterval: Duration
    /// How the web UI signs people in (its cookie is `Secure` whenever the server speaks TLS).
    public var web: WebConfiguration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
        exportSweepInterval: Duration = ExportHousekeeping.defaultInterval, web: WebConfiguration = WebConfiguration()
    ) {
        self.host = host
        self.port = port
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.exportSweepInterval = exportSweepInterval
        self.web = web
        self.web.secureCookies = tlsCertificatePath != nil && tlsKeyPath != nil
    }

    /// `https` when TLS is configured, else `http`.
    public var scheme: String { tlsCertificatePath != nil && tlsKeyPath != nil ? "https" : "http" }
}
