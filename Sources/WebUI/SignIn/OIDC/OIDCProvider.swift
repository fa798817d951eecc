import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import NIOCore
import WardenCore

/// The OpenID Connect provider people sign in through: its discovery document and signing keys
/// (fetched once and kept; the keys again when a token names a key not among them), the
/// authorization URL a browser is sent to, the code exchange, and the ID token's checks.
///
/// A provider that cannot be reached, or answers with something that is not OpenID Connect, is an
/// `unavailable` error naming it; a sign-in the provider or the token's checks refuse is
/// `unauthenticated` (or `permissionDenied` when the person has no mapped role), naming why.
actor OIDCProvider {
    let settings: OIDCSettings
    private let http: HTTPClient
    private var metadata: ProviderMetadata?
    private var signingKeys: (collection: JWTKeyCollection, ids: Set<String>)?

    /// How long one request to the provider may take.
    static let timeout = TimeAmount.seconds(10)
    /// The largest answer read from the provider.
    static let maximumAnswerBytes = 1024 * 1024

    init(settings: OIDCSettings, http: HTTPClient = .shared) {
        self.settings = settings
        self.http = http
    }

    /// Where to send the browser to sign in for `pending`: the provider's authorization endpoint with
    /// the code flow's parameters, its nonce and its PKCE challenge (S256).
    func authorizationURL(for pending: PendingSignIn) async throws -> String {
        let metadata = try await discovered()
        guard var url = URLComponents(string: metadata.authorizationEndpoint) else {
            throw unavailable("its authorization_endpoint is not a URL: \(metadata.authorizationEndpoint)")
        }
        var scopes = ["openid", "email", "profile"]
        if metadata.scopesSupported?.contains(settings.roleClaim) == true, !scopes.contains(settings.roleClaim) {
            scopes.append(settings.roleClaim)
        }
        let challenge = SessionToken.base64URL(Data(SHA256.hash(data: Data(pending.codeVerifier.utf8))))
        let parameters = FormFields.encode([
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", pending.redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", pending.state), ("nonce", pending.nonce), ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ])
        url.percentEncodedQuery = [url.percentEncodedQuery, parameters].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
        guard let text = url.string else { throw unavailable("its authorization_endpoint is not a URL: \(metadata.authorizationEndpoint)") }
        return text
    }

    /// The person the provider signed in for `pending`, given the authorization `code` it sent back:
    /// the code exchanged for an ID token, the token verified, and its claims mapped to a Warden user.
    func user(code: String, for pending: PendingSignIn) async throws -> WebUser {
        let token = try await verify(idToken: try await idToken(code: code, for: pending), nonce: pending.nonce)
        return try user(from: token)
    }

    /// Exchanges `code` at the token endpoint (client_secret_basic, with the PKCE verifier) for an ID token.
    func idToken(code: String, for pending: PendingSignIn) async throws -> String {
        let metadata = try await discovered()
        var request = HTTPClientRequest(url: metadata.tokenEndpoint)
        request.method = .POST
        let credentials = "\(FormFields.encode(settings.clientID)):\(FormFields.encode(settings.clientSecret))"
        request.headers.add(name: "Authorization", value: "Basic \(Data(credentials.utf8).base64EncodedString())")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormFields.encode([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", pending.redirectURI), ("code_verifier", pending.codeVerifier),
        ])))
        let (status, body) = try await send(request, for: "the code exchange")
        let answer = try? JSONDecoder().decode(TokenResponse.self, from: Data(buffer: body))
        if let error = answer?.error {
            throw APIError(
                .unauthenticated, "the provider refused to exchange the sign-in code: \(error)\(answer?.errorDescription.map { " (\($0))" } ?? "")",
                resolution: "Sign in again.")
        }
        guard status == 200, let idToken = answer?.idToken else {
            throw unavailable("its token endpoint answered HTTP \(status) without an ID token")
        }
        return idToken
    }

    /// Checks an ID token: signed by one of the provider's keys, issued by the configured issuer for
    /// this client, not expired nor issued in the future, and carrying `nonce`.
    func verify(idToken: String, nonce: String, now: Date = Date()) async throws -> IDToken {
        let keyID = try Self.keyID(of: idToken)
        var keys = try await currentSigningKeys(refresh: false)
        if let keyID, !keys.ids.contains(keyID) { keys = try await currentSigningKeys(refresh: true) }
        if let keyID, !keys.ids.contains(keyID) {
            throw refused("its signature is by a key (kid \(keyID)) the provider does not publish")
        }
        let token: IDToken
        do {
            token = try await keys.collection.verify(idToken, as: IDToken.self, expectedAudience: settings.clientID, iteratingKeys: keyID == nil)
        } catch let error as JWTError {
            throw refused(Self.reason(error, clientID: settings.clientID))
        }
        guard token.issuer.value == settings.issuer else {
            throw refused("it was issued by \(token.issuer.value), not by the configured issuer \(settings.issuer)")
        }
        guard token.issuedAt.value <= now.addingTimeInterval(IDToken.clockSkew) else {
            throw refused("it was issued in the future (\(ISO8601DateFormatter().string(from: token.issuedAt.value))); check the clocks")
        }
        guard let tokenNonce = token.nonce, SessionToken.matches(tokenNonce, nonce) else {
            throw refused("its nonce does not match this sign-in's (a replayed or mixed-up answer)")
        }
        return token
    }

    /// The Warden user an ID token names: its verified email (lower-cased) is their reviewer identity,
    /// their name is `name` or the email, and their role comes from the role claim's mapping.
    func user(from token: IDToken) throws -> WebUser {
        guard let email = token.email?.trimmingCharacters(in: .whitespaces).lowercased(), !email.isEmpty else {
            throw APIError(
                .unauthenticated, "the provider did not send your email address (the ID token has no email claim)",
                resolution: "Ask the provider's administrator to release the email claim to Warden.")
        }
        guard token.emailVerified?.value == true else {
            throw APIError(
                .unauthenticated, "the provider has not verified your email address \(email) (email_verified is not true)",
                resolution: "Verify the address at the provider, then sign in again.")
        }
        let values = token.values(of: settings.roleClaim)
        guard let role = settings.role(for: values) else {
            let held = values.isEmpty
                ? "the ID token has no \(settings.roleClaim) claim to map to a Warden role"
                : "none of your \(settings.roleClaim) (\(values.joined(separator: ", "))) is mapped to a Warden role"
            throw APIError(
                .permissionDenied, "\(email) signed in at the provider, but \(held)",
                resolution: "Ask a Warden administrator to map one of your \(settings.roleClaim) values to a role (--oidc-role VALUE=ROLE).")
        }
        let name = token.name?.trimmingCharacters(in: .whitespaces) ?? ""
        return WebUser(source: .oidc(issuer: settings.issuer, subject: token.subject.value), name: name.isEmpty ? email : name, email: email, role: role)
    }

    // MARK: - Discovery and keys

    /// The discovery document, fetched on first use; its `issuer` must be the configured one.
    private func discovered() async throws -> ProviderMetadata {
        if let metadata { return metadata }
        let base = settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer
        let (status, body) = try await send(HTTPClientRequest(url: base + "/.well-known/openid-configuration"), for: "discovery")
        guard status == 200, let fetched = try? JSONDecoder().decode(ProviderMetadata.self, from: Data(buffer: body)) else {
            throw unavailable("its discovery document (\(base)/.well-known/openid-configuration) answered HTTP \(status) without an OpenID configuration")
        }
        guard fetched.issuer == settings.issuer else {
            throw unavailable("its discovery document names the issuer \(fetched.issuer), not \(settings.issuer) as --oidc-issuer says")
        }
        metadata = fetched
        return fetched
    }

    /// The provider's signing keys (its JWKS), fetched on first use and again when `refresh` is set.
    private func currentSigningKeys(refresh: Bool) async throws -> (collection: JWTKeyCollection, ids: Set<String>) {
        if let signingKeys, !refresh { return signingKeys }
        let metadata = try await discovered()
        let (status, body) = try await send(HTTPClientRequest(url: metadata.jwksURI), for: "its signing keys")
        guard status == 200, let jwks = try? JSONDecoder().decode(ProviderKeySet.self, from: Data(buffer: body)) else {
            throw unavailable("its signing keys (\(metadata.jwksURI)) answered HTTP \(status) without a JSON Web Key Set")
        }
        let collection = JWTKeyCollection()
        var ids: Set<String> = []
        // Keys without an id, or of a kind jwt-kit cannot verify with, cannot have signed a token Warden accepts.
        for key in jwks.keys {
            guard let id = key.keyIdentifier, (try? await collection.add(jwk: key)) != nil else { continue }
            ids.insert(id.string)
        }
        guard !ids.isEmpty else { throw unavailable("its signing keys (\(metadata.jwksURI)) hold no key Warden can verify with") }
        signingKeys = (collection, ids)
        return (collection, ids)
    }

    /// Sends `request` to the provider; a provider that cannot be reached is `unavailable`.
    private func send(_ request: HTTPClientRequest, for purpose: String) async throws -> (status: UInt, body: ByteBuffer) {
        do {
            let response = try await http.execute(request, timeout: Self.timeout)
            return (response.status.code, try await response.body.collect(upTo: Self.maximumAnswerBytes))
        } catch {
            throw unavailable("it could not be reached for \(purpose) (\(error))")
        }
    }

    private func unavailable(_ problem: String) -> APIError {
        APIError(
            .unavailable, "the sign-in provider \(settings.issuer) cannot be used: \(problem)",
            resolution: "Try again later, or sign in with an API key; an administrator should check --oidc-issuer and the provider.")
    }

    private func refused(_ problem: String) -> APIError {
        APIError(.unauthenticated, "the provider's ID token was refused: \(problem)", resolution: "Sign in again.")
    }

    /// The `kid` in a token's header, if it names one.
    private static func keyID(of token: String) throws -> String? {
        let header = token.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let parsed = try? JSONDecoder().decode(JWTHeader.self, from: data) else {
            throw APIError(.unauthenticated, "the provider's ID token was refused: it is not a JSON Web Token", resolution: "Sign in again.")
        }
        return parsed.kid
    }

    /// What a failed jwt-kit check means, in words.
    private static func reason(_ error: JWTError, clientID: String) -> String {
        switch error.errorType {
        case .signatureVerificationFailed:
            return "its signature does not match the provider's keys"
        case .claimVerificationFailure where error.failedClaim is AudienceClaim:
            let audience = (error.failedClaim as? AudienceClaim)?.value.joined(separator: ", ") ?? ""
            return "its audience (\(audience)) is not this Warden's client id \(clientID) alone"
        case .claimVerificationFailure where error.failedClaim is ExpirationClaim:
            let expiry = (error.failedClaim as? ExpirationClaim).map { ISO8601DateFormatter().string(from: $0.value) } ?? ""
            return "it expired at \(expiry)"
        case .malformedToken:
            return "it is malformed (\(error.reason ?? "unreadable"))"
        default:
            return "it could not be verified (\(error))"
        }
    }
}
