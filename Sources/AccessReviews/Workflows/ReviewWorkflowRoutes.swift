import Hummingbird
import WardenCore

/// `/api/preview/awf/workflows`: list and get (Veza's), create (Warden's).
///
/// Admins and operators create workflows; every role may read them.
public struct ReviewWorkflowRoutes: Sendable {
    let store: ReviewWorkflowStore
    let signer: PageTokenSigner

    public init(database: Database, signer: PageTokenSigner) {
        store = ReviewWorkflowStore(database: database)
        self.signer = signer
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        let signer = signer
        api.post("preview/awf/workflows") { request, context in
            let caller = try context.require(.createReviewWorkflow)
            let input = try await request.decodeJSON(ReviewWorkflow.Input.self, context: context)
            return JSONResponse(ValueEnvelope(try await store.create(input, by: WorkflowUser(caller))))
        }
        api.get("preview/awf/workflows") { request, context in
            try context.require(.listReviewWorkflows)
            let list = try ListRequest(ReviewWorkflow.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await store.list(list, signer: signer))
        }
        api.get("preview/awf/workflows/{id}") { _, context in
            try context.require(.getReviewWorkflow)
            return JSONResponse(ValueEnvelope(try await store.get(id: try context.pathParameter("id"))))
        }
    }
}
