import Crypto
import Foundation
import Hummingbird
import JWTKit
import Logging
import Synchronization
import Testing
import WardenCore
import WardenServer
@testable import WebUI

/// The ID token's checks, on tokens signed here with test keys, against a provider (a small HTTP
/// server) that publishes its discovery document and its keys.
@Suite struct IDTokenVerificationTests {
    /// The claims a test signs; the right ones unless a test changes one.
    struct Claims: JWTPayload {
        var iss: String
        var sub = "person-1"
        var aud: [String] = ["warden"]
        var exp = Int(Date().timeIntervalSince1970) + 600
        var iat = Int(Date().timeIntervalSince1970)
        var nonce: String? = "the-nonce"
        var email: String? = "Pat@Example.com"
        var email_verified: Bool? = true
        var name: String? = "Pat"
        var groups: [String]? = ["admins"]
        var realm_access: [String: [String]]? = nil

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A provider publishing `keys` (changeable while it runs), and counting fetches of them.
    final class KeyServer: Sendable {
        let keys: Mutex<[JWK]>
        let fetches = Mutex(0)

        init(_ keys: [JWK]) {
            self.keys = Mutex(keys)
        }

        func run(_ body: @escaping @Sendable (_ issuer: String) async throws -> Void) async throws {
            let router = Router()
            router.get(".well-known/openid-configuration") { request, _ in
                let issuer = "http://\(request.head.authority ?? "")"
                return Self.json([
                    "issuer": issuer, "authorization_endpoint": "\(issuer)/authorize?tenant=1", "token_endpoint": "\(issuer)/token",
                    "jwks_uri": "\(issuer)/jwks", "scopes_supported": ["openid", "email", "profile", "groups"],
                ])
            }
            router.get("jwks") { [self] _, _ in
                fetches.withLock { $0 += 1 }
                let set = try JSONEncoder().encode(JWKS(keys: keys.withLock { $0 }))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: set)))
            }
            var logger = Logger(label: "test-oidc-keys")
            logger.logLevel = .warning
            try await LoopbackServer.serve(router, logger: logger, body)
        }

        private static func json(_ object: [String: any Sendable]) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }

    let key = ES256PrivateKey()
    let otherKey = ES256PrivateKey()

    static func jwk(_ key: ES256PrivateKey, id: String) -> JWK {
        let point = key.publicKey.parameters!
        return .ecdsa(.es256, identifier: JWKIdentifier(string: id), x: point.x, y: point.y, curve: .p256)
    }

    static func sign(_ claims: Claims, with key: ES256PrivateKey, id: String) async throws -> String {
        try await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: id)).sign(claims, kid: JWKIdentifier(string: id))
    }

    func provider(_ issuer: String) -> OIDCProvider {
        OIDCProvider(settings: OIDCSettings(issuer: issuer, clientID: "warden", clientSecret: "secret", roles: [("admins", .admin), ("reviewers", .reviewer)]))
    }

    /// The message the provider's check refuses `token` with (nil when it is accepted).
    func refusal(_ provider: OIDCProvider, _ token: String) async -> String? {
        do {
            _ = try await provider.user(from: try await provider.verify(idToken: token, nonce: "the-nonce"))
            return nil
        } catch let error as APIError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aTokenIsAcceptedOnlyWhenEveryCheckHolds() async throws {
        let server = KeyServer([Self.jwk(key, id: "key-1")])
        try await server.run { issuer in
            let provider = provider(issuer)
            let right = Claims(iss: issuer)
            let user = try await provider.user(from: try await provider.verify(idToken: try await Self.sign(right, with: key, id: "key-1"), nonce: "the-nonce"))
            #expect(user == WebUser(source: .oidc(issuer: issuer, subject: "person-1"), name: "Pat", email: "pat@example.com", role: .admin))

            func refused(_ change: (inout Claims) -> Void, signedBy signer: ES256PrivateKey? = nil) async throws -> String {
                var claims = right
                change(&claims)
                return await refusal(provider, try await Self.sign(claims, with: signer ?? key, id: "key-1")) ?? "accepted"
            }
            #expect(try await refused { $0.aud = ["another-app"] }.contains("its audience (another-app) is not this Warden's client id warden"))
            #expect(try await refused { $0.aud = ["warden", "another-app"] }.contains("its audience (warden, another-app)"))
            #expect(try await refused { $0.iss = "https://impostor.example.com" }.contains("issued by https://impostor.example.com, not by the configured issuer \(issuer)"))
            #expect(try await refused({ _ in }, signedBy: otherKey).contains("its signature does not match the provider's keys"))
            #expect(try await refused { $0.exp = Int(Date().timeIntervalSince1970) - 3_600 }.contains("it expired at"))
            #expect(try await refused { $0.iat = Int(Date().timeIntervalSince1970) + 3_600 }.contains("issued in the future"))
            #expect(try await refused { $0.nonce = "another-sign-in" }.contains("its nonce does not match this sign-in's"))
            #expect(try await refused { $0.nonce = nil }.contains("its nonce does not match"))
            #expect(try await refused { $0.email_verified = false }.contains("has not verified your email address pat@example.com"))
            #expect(try await refused { $0.email = nil }.contains("the ID token has no email claim"))
            #expect(try await refused { $0.groups = ["staff"] }.contains("pat@example.com signed in at the provider, but none of your groups (staff) is mapped"))
            #expect(try await refused { $0.groups = nil }.contains("but the ID token has no groups claim to map to a Warden role"))
            #expect(await refusal(provider, "not-a-token")?.contains("it is not a JSON Web Token") == true)
        }
    }

    @Test func aDottedRoleClaimReachesIntoObjects() async throws {
        try await KeyServer([Self.jwk(key, id: "key-1")]).run { issuer in
            let provider = OIDCProvider(settings: OIDCSettings(
                issuer: issuer, clientID: "warden", clientSecret: "secret", roleClaim: "realm_access.roles",
                roles: [("warden-admin", .admin), ("warden-review", .reviewer)]))
            var claims = Claims(iss: issuer)
            claims.realm_access = ["roles": ["offline_access", "warden-review"]]
            let token = try await provider.verify(idToken: try await Self.sign(claims, with: key, id: "key-1"), nonce: "the-nonce")
            #expect(try await provider.user(from: token).role == .reviewer)
        }
    }

    @Test func aNewKeyIsFetchedOnceAndAnUnpublishedOneRefused() async throws {
        let server = KeyServer([Self.jwk(key, id: "key-1")])
        try await server.run { issuer in
            let provider = provider(issuer)
            let claims = Claims(iss: issuer)
            #expect(await refusal(provider, try await Self.sign(claims, with: key, id: "key-1")) == nil)
            #expect(server.fetches.withLock { $0 } == 1)
            // The provider rotates to a new key: a token naming it makes Warden fetch the keys again.
            server.keys.withLock { $0 = [Self.jwk(key, id: "key-1"), Self.jwk(otherKey, id: "key-2")] }
            #expect(await refusal(provider, try await Self.sign(claims, with: otherKey, id: "key-2")) == nil)
            #expect(server.fetches.withLock { $0 } == 2)
            #expect(await refusal(provider, try await Self.sign(claims, with: key, id: "key-1")) == nil)
            #expect(server.fetches.withLock { $0 } == 2)
            // A key the provider does not publish, even after fetching again.
            let message = await refusal(provider, try await Self.sign(claims, with: ES256PrivateKey(), id: "key-3"))
            #expect(message?.contains("its signature is by a key (kid key-3) the provider does not publish") == true)
            #expect(server.fetches.withLock { $0 } == 3)
        }
    }

    @Test func theAuthorizationURLCarriesPKCEAndTheRoleClaimsScope() async throws {
        try await KeyServer([Self.jwk(key, id: "key-1")]).run { issuer in
            let pending = PendingSignIn.start(redirectURI: "https://warden.example.com/ui/oidc/callback", returnTo: "/ui")
            let url = try #require(URLComponents(string: try await provider(issuer).authorizationURL(for: pending)))
            let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
            #expect(url.path == "/authorize")
            #expect(query["tenant"] == "1")
            #expect(query["response_type"] == "code")
            #expect(query["client_id"] == "warden")
            #expect(query["redirect_uri"] == "https://warden.example.com/ui/oidc/callback")
            #expect(query["scope"] == "openid email profile groups")
            #expect(query["state"] == pending.state)
            #expect(query["nonce"] == pending.nonce)
            #expect(query["code_challenge"] == SessionToken.base64URL(Data(SHA256.hash(data: Data(pending.codeVerifier.utf8)))))
            #expect(query["code_challenge_method"] == "S256")
        }
    }

    @Test func aProviderWhoseIssuerDiffersIsNotUsed() async throws {
        let server = KeyServer([Self.jwk(key, id: "key-1")])
        try await server.run { issuer in
            let provider = provider(issuer + "/")
            let pending = PendingSignIn.start(redirectURI: "https://warden.example.com/ui/oidc/callback", returnTo: "/ui")
            let error = await #expect(throws: APIError.self) { try await provider.authorizationURL(for: pending) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("its discovery document names the issuer \(issuer), not \(issuer)/ as --oidc-issuer says") == true)
        }
    }
}
