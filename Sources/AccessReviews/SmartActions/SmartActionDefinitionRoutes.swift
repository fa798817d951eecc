import Hummingbird
import WardenCore

/// `/api/preview/awf/smart_action_definitions`: create, list, get, update and delete.
///
/// Admins and operators manage definitions; every role may read them (reviewers apply them).
public struct SmartActionDefinitionRoutes: Sendable {
    let store: SmartActionDefinitionStore

    public init(database: Database) {
        store = SmartActionDefinitionStore(database: database)
    }

    static let path = "preview/awf/smart_action_definitions"

    /// Veza's create response.
    struct Created: Encodable, Sendable {
        var id: String
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        api.post(.init(Self.path)) { request, context in
            let caller = try context.require(.createSmartActionDefinition)
            let input = try await request.decodeJSON(SmartActionDefinition.Input.self, context: context)
            return JSONResponse(Created(id: try await store.create(input, by: caller.name)))
        }
        api.get(.init(Self.path)) { request, context in
            try context.require(.listSmartActionDefinitions)
            let definitions = try await store.list(workflowID: request.formQuery["workflow_id"])
            return JSONResponse(ListPage(values: definitions, nextPageToken: "", hasMore: false))
        }
        api.get(.init(Self.path + "/{id}")) { _, context in
            try context.require(.getSmartActionDefinition)
            return JSONResponse(ValueEnvelope(try await store.get(id: try context.pathParameter("id"))))
        }
        api.put(.init(Self.path)) { request, context in
            let caller = try context.require(.updateSmartActionDefinition)
            let update = try await request.decodeJSON(SmartActionDefinition.Update.self, context: context)
            guard let id = update.value.id, !id.isEmpty else {
                throw APIError.invalidArgument("value.id", "value.id is required: the id of the definition to update")
            }
            try await store.update(id: id, with: update.value, by: caller.name)
            return JSONResponse(EmptyObject())
        }
        api.put(.init(Self.path + "/{id}")) { request, context in
            let caller = try context.require(.updateSmartActionDefinitionByPath)
            let update = try await request.decodeJSON(SmartActionDefinition.Update.self, context: context)
            try await store.update(id: try context.pathParameter("id"), with: update.value, by: caller.name)
            return JSONResponse(EmptyObject())
        }
        api.delete(.init(Self.path + "/{id}")) { _, context in
            try context.require(.deleteSmartActionDefinition)
            try await store.delete(id: try context.pathParameter("id"))
            return JSONResponse(EmptyObject())
        }
    }
}
