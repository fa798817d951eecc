import SCIMFilter

/// An export: created by a `…:export` call, polled until FINISHED, then downloaded.
public struct ExportJob: Codable, Sendable, Equatable {
    /// Where an export is in its life.
    public enum Status: String, WireEnum {
        case created = "CREATED"
        case processing = "PROCESSING"
        case finished = "FINISHED"
        case failed = "FAILED"
        case expired = "EXPIRED"
    }

    public var id: String
    /// The list exported, e.g. `action_events`.
    public var kind: String
    public var status: Status
    public var format: ExportFormat
    public var filter: String
    public var orderBy: String
    public var rowCount: Int64
    public var sizeBytes: Int64
    public var createdAt: Timestamp
    public var finishedAt: Timestamp?
    /// Why it FAILED or EXPIRED.
    public var message: String
    /// Where to download it once FINISHED.
    public var downloadURL: String

    enum CodingKeys: String, CodingKey {
        case id, kind, status, format, filter, message
        case orderBy = "order_by"
        case rowCount = "row_count"
        case sizeBytes = "size_bytes"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
        case downloadURL = "download_url"
    }
}
