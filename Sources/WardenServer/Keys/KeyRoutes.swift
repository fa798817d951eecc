import Hummingbird
import WardenCore

/// `/api/preview/keys`: create, list, get and revoke API keys (admins only).
struct KeyRoutes {
    let keys: APIKeyStore
    let signer: PageTokenSigner

    struct CreateKey: Decodable {
        var name: String
        var role: Role
    }

    func add(to group: RouterGroup<WardenRequestContext>) {
        let keysGroup = group.group("preview/keys")
        keysGroup.post { request, context in
            let caller = try context.require(.admin)
            let body = try await request.decodeJSON(CreateKey.self, context: context)
            let name = body.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 200 else {
                throw APIError.invalidArgument("name", "name must be 1 to 200 characters")
            }
            let key = try await keys.create(name: name, role: body.role, createdBy: caller.name)
            return JSONResponse(ValueEnvelope(key))
        }
        keysGroup.get { request, context in
            try context.require(.admin)
            let list = try ListRequest(APIKey.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await keys.list(list, signer: signer))
        }
        keysGroup.get("{id}") { _, context in
            try context.require(.admin)
            return JSONResponse(ValueEnvelope(try await keys.get(id: try context.pathParameter("id"))))
        }
        keysGroup.post("{id}:revoke") { _, context in
            try context.require(.admin)
            _ = try await keys.revoke(id: try context.pathParameter("id"))
            return JSONResponse(EmptyObject())
        }
    }
}
