import Hummingbird
import WardenCore

/// The list, get and export routes every activity log resource has, under
/// `/api/private/lifecycle_management/<resource>`.
///
/// Who may call each is in the permission table, under `Record.operations`.
public struct ActivityRoutes<Record: ActivityRecord>: Sendable {
    let store: ActivityStore<Record>
    let signer: PageTokenSigner
    let exports: ExportJobs

    var path: String { "private/lifecycle_management/\(Record.resource)" }

    init(database: Database, signer: PageTokenSigner, exports: ExportJobs) {
        self.store = ActivityStore(database: database)
        self.signer = signer
        self.exports = exports
    }

    /// Export, list and get by the key in `keyParameters` (path parameters in `Record.keyColumns` order).
    func add(to api: RouterGroup<WardenRequestContext>, keyParameters: [String]) {
        addExport(to: api)
        addList(to: api)
        addGet(to: api, keyParameters: keyParameters)
    }

    /// `GET <resource>`: one page. `hiddenColumns` reads the request's own parameters (throwing a 400
    /// for bad ones) and names the JSON columns the page leaves out, e.g. a job's payloads.
    func addList(to api: RouterGroup<WardenRequestContext>, hiddenColumns: @escaping @Sendable (Request) throws -> Set<String> = { _ in [] }) {
        api.get(RouterPath(path)) { request, context in
            try context.require(Record.operations.list)
            let list = try ListRequest(Record.listSpec, request.listParameters, signer: signer)
            let body = try await store.listBody(list, signer: signer, hiding: try hiddenColumns(request))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
    }

    /// `GET <resource>/{key...}` → `{"value": ...}` or 404; `present` shapes the record shown.
    func addGet(
        to api: RouterGroup<WardenRequestContext>, keyParameters: [String], present: @escaping @Sendable (Record) -> Record = { $0 }
    ) {
        let pattern = ([path] + keyParameters.map { "{\($0)}" }).joined(separator: "/")
        api.get(RouterPath(pattern)) { _, context in
            try context.require(Record.operations.get)
            let key = try keyParameters.map { try context.pathParameter($0) }
            guard let record = try await store.find(key: key) else {
                throw APIError.notFound("\(Record.noun) \(key.joined(separator: "/"))")
            }
            return JSONResponse(ValueEnvelope(present(record)))
        }
    }

    /// `POST <resource>:export`: with `Accept: text/csv` the CSV streams in the response; otherwise an
    /// export job is created and returned for polling. Either way it counts against the export cap (429).
    func addExport(to api: RouterGroup<WardenRequestContext>) {
        api.post(RouterPath("\(path):export")) { request, context in
            let caller = try context.require(Record.operations.export)
            let export = try await request.decodeJSON(ExportRequest.self, context: context)
            let list = try ListRequest.batches(
                Record.listSpec, filter: export.body?.filter, orderBy: export.body?.orderBy, batchSize: ActivityStore<Record>.exportBatchSize
            )
            let store = self.store
            guard request.headers[.accept]?.contains("text/csv") == true else {
                let job = try await exports.start(
                    kind: Record.resource, format: export.resolvedFormat, filter: export.body?.filter, orderBy: export.body?.orderBy,
                    createdBy: caller.name
                ) { write in try await store.exportCSV(list, write: write) }
                return try JSONResponse(ExportCreated(job)).response(from: request, context: context)
            }
            return try exports.streamCSV(filename: "\(Record.resource).csv") { write in try await store.exportCSV(list, write: write) }
        }
    }
}
