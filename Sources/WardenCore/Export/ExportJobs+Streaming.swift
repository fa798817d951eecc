import Hummingbird

extension ExportJobs {
    /// A response that streams the CSV of `produce` as an attachment named `filename`, holding one
    /// of the export slots while it streams; when all are held, a 429 instead.
    public func streamCSV(filename: String, produce: @escaping Producer) throws(APIError) -> Response {
        let slot = try reserve()
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: ResponseBody { writer in
                defer { slot.release() }
                _ = try await produce { try await writer.write($0) }
                try await writer.finish(nil)
            }
        )
    }
}
