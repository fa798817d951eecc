import Foundation
import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/action_events`: list and get.
public struct ActionEventRoutes: Sendable {
    let store: ActionEventStore
    let signer: PageTokenSigner
    let exports: ExportJobs

    public init(database: Database, signer: PageTokenSigner, exports: ExportJobs) {
        self.store = ActionEventStore(database: database)
        self.signer = signer
        self.exports = exports
    }

    /// Rows per database round trip while exporting.
    static let exportBatchSize = 2_000

    public func add(to api: RouterGroup<WardenRequestContext>) {
        api.post("private/lifecycle_management/action_events:export") { request, context in
            let caller = try context.require(.admin, .operator)
            let export = try await request.decodeJSON(ExportRequest.self, context: context)
            let list = try ListRequest.batches(
                ActionEvent.listSpec, filter: export.body?.filter, orderBy: export.body?.orderBy, batchSize: Self.exportBatchSize
            )
            let store = self.store
            guard request.headers[.accept]?.contains("text/csv") == true else {
                let job = try await exports.start(
                    kind: "action_events", format: export.resolvedFormat, filter: export.body?.filter, orderBy: export.body?.orderBy,
                    createdBy: caller.name
                ) { write in try await store.exportCSV(list, write: write) }
                return try JSONResponse(ExportCreated(value: job, exportID: job.id)).response(from: request, context: context)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"action_events.csv\""],
                body: ResponseBody { writer in
                    _ = try await store.exportCSV(list) { try await writer.write($0) }
                    try await writer.finish(nil)
                }
            )
        }
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

/// The answer to an export call: the job, and its id at the top level as some clients expect.
struct ExportCreated: Encodable, Sendable {
    var value: ExportJob
    var exportID: String

    enum CodingKeys: String, CodingKey {
        case value
        case exportID = "export_id"
    }
}
