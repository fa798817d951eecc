import Foundation
import Hummingbird
import NIOCore
import WardenCore

/// Export status and download under one prefix: `GET <prefix>/{id}` and `GET <prefix>/{id}:download`,
/// for the jobs of the given kinds (another kind's job is not found there).
public struct ExportRoutes: Sendable {
    let exports: ExportJobs
    /// The path below `/api/`, such as `private/lifecycle_management/exports`.
    let path: String
    let kinds: Set<String>
    /// The operations of the permission table that read a job's status and download its file.
    let operations: (status: APIOperation, download: APIOperation)

    public init(exports: ExportJobs, path: String, kinds: Set<String>, operations: (status: APIOperation, download: APIOperation)) {
        self.exports = exports
        self.path = path
        self.kinds = kinds
        self.operations = operations
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let group = api.group(RouterPath(path))
        let exports = exports
        let kinds = kinds
        let operations = operations
        let prefix = "/api/\(path)"
        @Sendable func job(_ id: String) async throws -> ExportJob {
            let job = try await exports.get(id: id, downloadPrefix: prefix)
            guard kinds.contains(job.kind) else { throw APIError.notFound("export \(id)") }
            return job
        }
        group.get("{export_id}") { _, context in
            try context.require(operations.status)
            return JSONResponse(ValueEnvelope(try await job(try context.pathParameter("export_id"))))
        }
        group.get("{export_id}:download") { _, context in
            try context.require(operations.download)
            _ = try await job(try context.pathParameter("export_id"))
            let (job, file) = try await exports.download(id: try context.pathParameter("export_id"))
            let handle = try FileHandle(forReadingFrom: file)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(job.kind)-\(job.id).csv\"",
                ],
                body: ResponseBody(contentLength: Int(job.sizeBytes)) { writer in
                    defer { try? handle.close() }
                    while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                        try await writer.write(ByteBuffer(data: chunk))
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }
}
