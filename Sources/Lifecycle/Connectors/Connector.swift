import WardenCore

/// A named connector that actions use: an HTTP API (REST), a URL that takes a JSON POST (WEBHOOK),
/// a mail server (SMTP), or a SCIM 2.0 service provider (SCIM). Only the members of its type are set; secrets are held decrypted here and
/// encrypted at rest.
public struct Connector: Sendable, Equatable {
    /// How an SMTP connector uses STARTTLS.
    public enum StartTLS: String, WireEnum {
        /// Upgrade when the server offers it, else go on in plain text.
        case opportunistic = "OPPORTUNISTIC"
        /// Upgrade, or fail the send when the server does not offer it.
        case required = "REQUIRED"
        /// Never upgrade.
        case none = "NONE"
    }

    public var id: String
    /// Unique; what actions name.
    public var name: String
    public var type: ConnectorType
    public var description: String
    /// REST and SCIM: the URL request paths are appended to (SCIM: the one `/Users` and `/Groups` are under).
    public var baseURL: String
    /// WEBHOOK: the URL posted to.
    public var url: String
    /// REST and WEBHOOK: headers sent with every request, shown by the API.
    public var headers: [String: String]
    /// REST and WEBHOOK: headers sent with every request, never shown (an `Authorization`, an API key).
    public var secretHeaders: [String: String]
    /// How long one request or one SMTP conversation may take.
    public var timeoutSeconds: Int
    /// A PEM file of certificates to trust besides the system's, for a target with a private CA.
    public var caFile: String
    /// SMTP: the mail server.
    public var host: String
    public var port: Int
    public var startTLS: StartTLS
    /// SMTP: AUTH is used when set.
    public var username: String
    public var password: String
    /// SMTP: the envelope and header sender.
    public var from: String
    /// SCIM: sent as `Authorization: Bearer ...`; never shown.
    public var bearerToken: String
    /// SCIM: User attribute path (`name.givenName`, `emails[type eq "work"].value`,
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`) → template source.
    public var attributeMapping: [String: String]

    public static let defaultTimeoutSeconds = 30

    public init(
        id: String, name: String, type: ConnectorType, description: String = "", baseURL: String = "", url: String = "",
        headers: [String: String] = [:], secretHeaders: [String: String] = [:], timeoutSeconds: Int = Connector.defaultTimeoutSeconds,
        caFile: String = "", host: String = "", port: Int = 25, startTLS: StartTLS = .opportunistic, username: String = "",
        password: String = "", from: String = "", bearerToken: String = "", attributeMapping: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.description = description
        self.baseURL = baseURL
        self.url = url
        self.headers = headers
        self.secretHeaders = secretHeaders
        self.timeoutSeconds = timeoutSeconds
        self.caFile = caFile
        self.host = host
        self.port = port
        self.startTLS = startTLS
        self.username = username
        self.password = password
        self.from = from
        self.bearerToken = bearerToken
        self.attributeMapping = attributeMapping
    }

    /// The secrets, as stored encrypted.
    var secrets: Secrets {
        get { Secrets(headers: secretHeaders, password: password, bearerToken: bearerToken.isEmpty ? nil : bearerToken) }
        set {
            secretHeaders = newValue.headers
            password = newValue.password
            bearerToken = newValue.bearerToken ?? ""
        }
    }

    /// What a connector keeps encrypted: one JSON object per connector.
    struct Secrets: Codable, Sendable, Equatable {
        var headers: [String: String] = [:]
        var password: String = ""
        var bearerToken: String?

        var isEmpty: Bool { headers.isEmpty && password.isEmpty && (bearerToken ?? "").isEmpty }
    }
}
