import JWTKit
import SCIMFilter

/// The parts of a provider's discovery document (`/.well-known/openid-configuration`) Warden uses.
struct ProviderMetadata: Decodable, Sendable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var jwksURI: String
    /// The scopes the provider offers; the role claim's name is asked for too when it is one of them.
    var scopesSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case scopesSupported = "scopes_supported"
    }
}

/// The token endpoint's answer: the ID token, or the provider's error.
struct TokenResponse: Decodable, Sendable {
    var idToken: String?
    var error: String?
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case idToken = "id_token"
        case error
        case errorDescription = "error_description"
    }
}

/// The provider's signing keys (its JWKS). A key of a kind jwt-kit does not know is skipped rather
/// than failing the whole set, as a provider may publish keys for other uses beside its signing keys.
struct ProviderKeySet: Decodable, Sendable {
    var keys: [JWK]

    enum CodingKeys: String, CodingKey {
        case keys
    }

    init(from decoder: any Decoder) throws {
        var list = try decoder.container(keyedBy: CodingKeys.self).nestedUnkeyedContainer(forKey: .keys)
        var keys: [JWK] = []
        while !list.isAtEnd {
            if let key = try? list.decode(JWK.self) {
                keys.append(key)
            } else {
                _ = try list.decode(JSONValue.self)
            }
        }
        self.keys = keys
    }
}
