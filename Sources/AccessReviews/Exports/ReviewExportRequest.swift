import WardenCore

/// Veza's access review export body: `{"format", "certification_id", "filter", "mutable_filter",
/// "order_by", "title", "previous_certification_id"}`. Only CSV is produced; `title` (for XLSX) is
/// accepted and unused.
public struct ReviewExportRequest: Decodable, Sendable {
    public var format: ExportFormat
    public var certificationID: String
    public var filter: String?
    public var mutableFilter: String?
    public var orderBy: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format
        case certificationID = "certification_id"
        case filter
        case mutableFilter = "mutable_filter"
        case orderBy = "order_by"
        case title
        case previousCertificationID = "previous_certification_id"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownMembers(
            CodingKeys.self, "not a field of an access review export; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(ExportFormat.self, forKey: .format) ?? .csv
        certificationID = try container.decode(String.self, forKey: .certificationID)
        filter = try container.decodeIfPresent(String.self, forKey: .filter)
        mutableFilter = try container.decodeIfPresent(String.self, forKey: .mutableFilter)
        orderBy = try container.decodeIfPresent(String.self, forKey: .orderBy)
        if let previous = try container.decodeIfPresent(String.self, forKey: .previousCertificationID), !previous.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .previousCertificationID, in: container,
                debugDescription: "comparing with a previous certification is not supported; leave previous_certification_id empty")
        }
    }
}
