import Foundation
import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/action_events`: list and get.
public struct ActionEventRoutes: Sendable {
    let store: ActionEventStore
    let signer: PageTokenSigner

    public init(database: Database, signer: PageTokenSigner) {
        self.store = ActionEventStore(database: database)
        self.signer = signer
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let events = api.group("private/lifecycle_management/action_events")
        events.get { request, context in
            try context.require(.admin, .operator, .viewer)
            let list = try ListRequest(ActionEvent.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await store.list(list, signer: signer))
        }
        events.get("{workflow_task}/{action_name}") { _, context in
            try context.require(.admin, .operator, .viewer)
            let task = try context.pathParameter("workflow_task")
            let action = try context.pathParameter("action_name")
            return JSONResponse(ValueEnvelope(try await store.get(policyTask: task, actionName: action)))
        }
    }
}
