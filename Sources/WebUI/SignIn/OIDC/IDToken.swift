import Foundation
import JWTKit
import SCIMFilter

/// The claims of an OpenID Connect ID token that sign a person in. Every claim is kept too, for the
/// role claim, whose name is configured.
struct IDToken: JWTIdentityToken {
    var issuer: IssuerClaim
    var subject: SubjectClaim
    var audience: AudienceClaim
    var expires: ExpirationClaim
    var issuedAt: IssuedAtClaim
    var nonce: String?
    var email: String?
    var emailVerified: BoolClaim?
    var name: String?
    /// Every claim of the token, as sent.
    var claims: [String: JSONValue]

    /// How far the provider's clock may be ahead of or behind Warden's.
    static let clockSkew: TimeInterval = 60

    enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case expires = "exp"
        case issuedAt = "iat"
        case nonce
        case email
        case emailVerified = "email_verified"
        case name
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(IssuerClaim.self, forKey: .issuer)
        subject = try container.decode(SubjectClaim.self, forKey: .subject)
        audience = try container.decode(AudienceClaim.self, forKey: .audience)
        expires = try container.decode(ExpirationClaim.self, forKey: .expires)
        issuedAt = try container.decode(IssuedAtClaim.self, forKey: .issuedAt)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        emailVerified = try container.decodeIfPresent(BoolClaim.self, forKey: .emailVerified)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        guard case .object(let claims) = try JSONValue(from: decoder) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "an ID token's claims are a JSON object"))
        }
        self.claims = claims
    }

    /// Writes the claims the token was read from.
    func encode(to encoder: any Encoder) throws {
        try JSONValue.object(claims).encode(to: encoder)
    }

    /// Checked by jwt-kit once the signature holds: the token has not expired (allowing for clock skew).
    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expires.verifyNotExpired(currentDate: Date().addingTimeInterval(-Self.clockSkew))
    }

    /// The values of the claim `name` (a string, or a list whose strings count); a dotted name that is
    /// not itself a claim is a path into nested objects.
    func values(of name: String) -> [String] {
        var value = claims[name]
        if value == nil, name.contains(".") {
            value = name.split(separator: ".").reduce(JSONValue?.some(.object(claims))) { value, member in
                guard case .object(let members)? = value else { return nil }
                return members[String(member)]
            }
        }
        switch value {
        case .string(let text)?:
            return [text]
        case .array(let items)?:
            return items.compactMap { item -> String? in
                guard case .string(let text) = item else { return nil }
                return text
            }
        default:
            return []
        }
    }
}
