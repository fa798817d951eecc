import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/connectors`: create, list, get, PATCH and delete. A path's
/// `{id}` is the connector's id or its name. No response ever carries a secret.
struct ConnectorRoutes: Sendable {
    let store: ConnectorStore

    static let path = "private/lifecycle_management/connectors"

    struct Created: Encodable, Sendable {
        var id: String
    }

    /// `{"value": connector}`.
    struct Shown: Encodable, Sendable {
        var value: ConnectorRecord
    }

    func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        api.post(.init(Self.path)) { request, context in
            let caller = try context.require(.createConnector)
            let input = try await request.decodeJSON(Connector.Input.self, context: context)
            return JSONResponse(Created(id: try await store.create(input, by: caller.name)))
        }
        api.get(.init(Self.path)) { _, context in
            try context.require(.listConnectors)
            return JSONResponse(ListPage(values: try await store.list(), nextPageToken: "", hasMore: false))
        }
        api.get(.init(Self.path + "/{id}")) { _, context in
            try context.require(.getConnector)
            return JSONResponse(Shown(value: try await store.get(try context.pathParameter("id"))))
        }
        api.patch(.init(Self.path + "/{id}")) { request, context in
            let caller = try context.require(.updateConnector)
            let input = try await request.decodeJSON(Connector.Input.self, context: context)
            return JSONResponse(Shown(value: try await store.update(try context.pathParameter("id"), with: input, by: caller.name)))
        }
        api.delete(.init(Self.path + "/{id}")) { _, context in
            try context.require(.deleteConnector)
            try await store.delete(try context.pathParameter("id"))
            return JSONResponse(EmptyObject())
        }
    }
}
