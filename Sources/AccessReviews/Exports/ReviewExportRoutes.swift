import Hummingbird
import WardenCore

/// `POST /api/preview/awf/exports/access_review:create`: the evidence export of a certification's
/// rows as an export job (polled at `exports/access_review/{id}`), or, with `Accept: text/csv`,
/// the CSV itself; either way it counts against the export cap (429). A reviewer's export holds
/// only their rows and always streams: export jobs are read by admins and operators, so a
/// reviewer's could not be fetched.
public struct ReviewExportRoutes: Sendable {
    let store: ResultStore
    let exports: ExportJobs

    /// The kind of these export jobs.
    public static let kind = "access_review"

    public init(database: Database, exports: ExportJobs) {
        store = ResultStore(database: database)
        self.exports = exports
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        let exports = exports
        api.post("preview/awf/exports/access_review:create") { request, context in
            let caller = try context.require(.createAccessReviewExport)
            let body = try await request.decodeJSON(ReviewExportRequest.self, context: context)
            let assignment = ReviewerAssignment(caller)
            let streams = request.headers[.accept]?.contains("text/csv") == true
            if !streams, !assignment.isEveryRow {
                throw APIError(
                    .failedPrecondition, "a reviewer's export streams its CSV in the response: send Accept: text/csv",
                    resolution: "Send the header Accept: text/csv.")
            }
            let export = try await store.export(body, for: assignment)
            guard streams else {
                let filter = [body.filter, body.mutableFilter].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " | ")
                let job = try await exports.start(
                    kind: Self.kind, format: body.format, filter: filter, orderBy: body.orderBy, createdBy: caller.name
                ) { write in try await store.exportCSV(export, write: write) }
                return try JSONResponse(ExportCreated(job)).response(from: request, context: context)
            }
            return try exports.streamCSV(filename: "access_review-\(body.certificationID).csv") { write in try await store.exportCSV(export, write: write) }
        }
    }
}
