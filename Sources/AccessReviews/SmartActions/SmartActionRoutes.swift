import Hummingbird
import WardenCore

/// Applying smart actions (Warden's extension; Veza documents no such endpoint):
/// `results:apply_smart_action` (with `dry_run`), `smart_action_batches` and their `:undo`.
///
/// Who may call each is in the permission table. A reviewer's apply and preview select only rows
/// assigned to them; a reviewer sees and undoes only their own batches.
public struct SmartActionRoutes: Sendable {
    let store: SmartActionStore

    public init(database: Database) {
        store = SmartActionStore(database: database)
    }

    static let path = "preview/awf/certifications/{id}"

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        api.post(.init(Self.path + "/results:apply_smart_action")) { request, context in
            let caller = try context.require(.applySmartAction)
            let apply = try await request.decodeJSON(SmartActionRequest.self, context: context)
            return JSONResponse(ValueEnvelope(try await store.apply(apply, to: try context.pathParameter("id"), by: caller)))
        }
        api.get(.init(Self.path + "/smart_action_batches")) { _, context in
            let caller = try context.require(.listSmartActionBatches)
            let batches = try await store.batches(of: try context.pathParameter("id"), for: ReviewerAssignment(caller))
            return JSONResponse(ListPage(values: batches, nextPageToken: "", hasMore: false))
        }
        api.post(.init(Self.path + "/smart_action_batches/{batch_id}:undo")) { _, context in
            let caller = try context.require(.undoSmartActionBatch)
            let undo = try await store.undo(batchID: try context.pathParameter("batch_id"), in: try context.pathParameter("id"), by: caller)
            return JSONResponse(ValueEnvelope(undo))
        }
    }
}
