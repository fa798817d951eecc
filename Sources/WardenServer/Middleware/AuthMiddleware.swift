import Hummingbird
import WardenCore

/// Authenticates `Authorization: Bearer <key>`; a missing, unknown or revoked key is a 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext
    let keys: APIKeyStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthenticated, "missing Authorization header: send Authorization: Bearer <API key>", resolution: "Create a key with `warden token create` and send it as a bearer token.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthenticated, "Authorization header must be \"Bearer <API key>\"")
        }
        guard let key = try await keys.authenticate(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw APIError(.unauthenticated, "the API key is unknown or revoked", resolution: "Check the key, or create a new one with `warden token create`.")
        }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "api_key"] = .string(key.id)
        return try await next(request, context)
    }
}
