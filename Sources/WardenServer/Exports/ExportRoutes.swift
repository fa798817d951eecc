import Foundation
import Hummingbird
import NIOCore
import WardenCore

/// Export status and download: `GET …/exports/{id}` and `GET …/exports/{id}:download`.
struct ExportRoutes {
    static let prefix = "/api/private/lifecycle_management/exports"
    let exports: ExportJobs

    func add(to api: RouterGroup<WardenRequestContext>) {
        let group = api.group("private/lifecycle_management/exports")
        group.get("{export_id}") { _, context in
            try context.require(.admin, .operator)
            return JSONResponse(ValueEnvelope(try await exports.get(id: try context.pathParameter("export_id"), downloadPrefix: Self.prefix)))
        }
        group.get("{export_id}:download") { _, context in
            try context.require(.admin, .operator)
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
