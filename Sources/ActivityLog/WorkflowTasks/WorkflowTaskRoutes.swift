import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/workflow_tasks`: list (all, or one policy's), get, export,
/// restart and unblock.
public struct WorkflowTaskRoutes: Sendable {
    let routes: ActivityRoutes<WorkflowTask>
    let queue: any TaskQueue

    public init(database: Database, signer: PageTokenSigner, exports: ExportJobs, queue: any TaskQueue) {
        routes = ActivityRoutes(database: database, signer: signer, exports: exports)
        self.queue = queue
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = routes.store
        let signer = routes.signer
        let queue = queue
        routes.addExport(to: api)
        api.post("private/lifecycle_management/workflow_tasks:unblock") { request, context in
            let caller = try context.require(.unblockWorkflowTasks)
            let unblock = try await request.decodeJSON(UnblockRequest.self, context: context)
            try unblock.validate()
            return JSONResponse(ValueEnvelope(try await store.unblock(unblock, by: caller.name, queue: queue)))
        }
        routes.addList(to: api)
        api.get("private/lifecycle_management/policies/{policy_id}/workflow_tasks") { request, context in
            try context.require(.listPolicyWorkflowTasks)
            let policyID = try context.pathParameter("policy_id")
            let list = try ListRequest(WorkflowTask.listSpec, request.listParameters, signer: signer)
            let body = try await store.listBody(list, signer: signer) { sql in
                sql.append("policy_id = ")
                sql.append(bind: policyID)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        api.post("private/lifecycle_management/workflow_tasks/{id}:restart") { _, context in
            let caller = try context.require(.restartWorkflowTask)
            return JSONResponse(ValueEnvelope(try await store.restart(id: try context.pathParameter("id"), by: caller.name, queue: queue)))
        }
        routes.addGet(to: api, keyParameters: ["id"])
    }
}
