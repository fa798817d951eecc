import Hummingbird
import WardenCore

/// `/api/preview/keys`: create, list, get and revoke API keys.
struct KeyRoutes {
    let keys: APIKeyStore
    let signer: PageTokenSigner

    struct CreateKey: Decodable {
        var name: String?
        var role: Role
        var email: String?
        var identitySource: String?

        enum CodingKeys: String, CodingKey {
            case name, role, email
            case identitySource = "identity_source"
        }
    }

    func add(to group: RouterGroup<WardenRequestContext>) {
        let keysGroup = group.group("preview/keys")
        keysGroup.post { request, context in
            let caller = try context.require(.createAPIKey)
            let body = try await request.decodeJSON(CreateKey.self, context: context)
            let key = try await keys.create(
                name: body.name ?? "", role: body.role, email: body.email ?? "", identitySource: body.identitySource ?? "", createdBy: caller.name)
            return JSONResponse(ValueEnvelope(key))
        }
        keysGroup.get { request, context in
            try context.require(.listAPIKeys)
            let list = try ListRequest(APIKey.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await keys.list(list, signer: signer))
        }
        keysGroup.get("{id}") { _, context in
            try context.require(.getAPIKey)
            return JSONResponse(ValueEnvelope(try await keys.get(id: try context.pathParameter("id"))))
        }
        keysGroup.post("{id}:revoke") { _, context in
            try context.require(.revokeAPIKey)
            _ = try await keys.revoke(id: try context.pathParameter("id"))
            return JSONResponse(EmptyObject())
        }
    }
}
