import SCIMFilter
import WardenCore

/// A connector as stored: its settings in the clear, its secrets sealed. What the API shows, read
/// without decrypting anything.
public struct ConnectorRecord: Sendable, Equatable {
    /// Everything but the secrets, and which secrets there are.
    struct Settings: Codable, Sendable, Equatable {
        var description: String
        var baseURL: String
        var url: String
        var headers: [String: String]
        var timeoutSeconds: Int
        var caFile: String
        var host: String
        var port: Int
        var startTLS: Connector.StartTLS
        var username: String
        var from: String
        var secretHeaderNames: [String]
        var hasPassword: Bool
        /// SCIM only; absent in records stored before SCIM connectors existed.
        var attributeMapping: [String: String]?
        var hasBearerToken: Bool?

        enum CodingKeys: String, CodingKey {
            case description
            case baseURL = "base_url"
            case url, headers
            case timeoutSeconds = "timeout_seconds"
            case caFile = "ca_file"
            case host, port
            case startTLS = "starttls"
            case username, from
            case secretHeaderNames = "secret_header_names"
            case hasPassword = "has_password"
            case attributeMapping = "attribute_mapping"
            case hasBearerToken = "has_bearer_token"
        }
    }

    public var id: String
    public var name: String
    public var type: ConnectorType
    var settings: Settings
    /// `SecretKeyRing.seal`'s output, or empty when the connector has no secret.
    var sealedSecrets: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// The record for `connector`, its secrets sealed under `keys`' first key.
    init(_ connector: Connector, keys: SecretKeyRing, createdAt: Timestamp, updatedAt: Timestamp) throws {
        id = connector.id
        name = connector.name
        type = connector.type
        settings = Settings(
            description: connector.description, baseURL: connector.baseURL, url: connector.url, headers: connector.headers,
            timeoutSeconds: connector.timeoutSeconds, caFile: connector.caFile, host: connector.host, port: connector.port,
            startTLS: connector.startTLS, username: connector.username, from: connector.from,
            secretHeaderNames: connector.secretHeaders.keys.sorted(), hasPassword: !connector.password.isEmpty,
            attributeMapping: connector.type == .scim ? connector.attributeMapping : nil,
            hasBearerToken: connector.type == .scim ? !connector.bearerToken.isEmpty : nil)
        sealedSecrets = connector.secrets.isEmpty ? "" : try keys.seal(try WireJSON.encoder().encode(connector.secrets), context: Self.sealContext(id))
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(id: String, name: String, type: ConnectorType, settings: Settings, sealedSecrets: String, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.name = name
        self.type = type
        self.settings = settings
        self.sealedSecrets = sealedSecrets
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What the secrets are bound to, so a sealed value copied to another connector does not open.
    static func sealContext(_ id: String) -> String {
        "warden.connector:\(id)"
    }

    /// The connector with its secrets decrypted; throws naming the connector when they do not decrypt.
    func connector(keys: SecretKeyRing) throws -> Connector {
        var connector = Connector(
            id: id, name: name, type: type, description: settings.description, baseURL: settings.baseURL, url: settings.url,
            headers: settings.headers, timeoutSeconds: settings.timeoutSeconds, caFile: settings.caFile, host: settings.host,
            port: settings.port, startTLS: settings.startTLS, username: settings.username, from: settings.from,
            attributeMapping: settings.attributeMapping ?? [:])
        if !sealedSecrets.isEmpty {
            do {
                let plaintext = try keys.open(sealedSecrets, context: Self.sealContext(id))
                connector.secrets = try WireJSON.decoder().decode(Connector.Secrets.self, from: plaintext)
            } catch {
                throw SecretKeyError("the secrets of connector \"\(name)\" (\(id)) cannot be decrypted: \(error)")
            }
        }
        return connector
    }
}
