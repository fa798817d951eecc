import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/access_profiles`: create, list, get, replace (PUT) and
/// delete. A path's `{id}` is the profile's id or its name.
struct AccessProfileRoutes: Sendable {
    let store: AccessProfileStore

    static let path = "private/lifecycle_management/access_profiles"

    struct Created: Encodable, Sendable {
        var id: String
    }

    /// `{"value": profile}`.
    struct Shown: Encodable, Sendable {
        var value: AccessProfile
    }

    func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        api.post(.init(Self.path)) { request, context in
            let caller = try context.require(.createAccessProfile)
            let input = try await request.decodeJSON(AccessProfile.Input.self, context: context)
            return JSONResponse(Created(id: try await store.create(input, by: caller.name)))
        }
        api.get(.init(Self.path)) { _, context in
            try context.require(.listAccessProfiles)
            return JSONResponse(ListPage(values: try await store.list(), nextPageToken: "", hasMore: false))
        }
        api.get(.init(Self.path + "/{id}")) { _, context in
            try context.require(.getAccessProfile)
            return JSONResponse(Shown(value: try await store.get(try context.pathParameter("id"))))
        }
        api.put(.init(Self.path + "/{id}")) { request, context in
            let caller = try context.require(.replaceAccessProfile)
            let input = try await request.decodeJSON(AccessProfile.Input.self, context: context)
            return JSONResponse(Shown(value: try await store.replace(try context.pathParameter("id"), with: input, by: caller.name)))
        }
        api.delete(.init(Self.path + "/{id}")) { _, context in
            try context.require(.deleteAccessProfile)
            try await store.delete(try context.pathParameter("id"))
            return JSONResponse(EmptyObject())
        }
    }
}
