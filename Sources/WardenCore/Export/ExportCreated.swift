/// The answer to a call that starts an export job: the job, and its id at the top level as some
/// clients expect.
public struct ExportCreated: Encodable, Sendable {
    public var value: ExportJob
    public var exportID: String

    public init(_ job: ExportJob) {
        value = job
        exportID = job.id
    }

    enum CodingKeys: String, CodingKey {
        case value
        case exportID = "export_id"
    }
}
