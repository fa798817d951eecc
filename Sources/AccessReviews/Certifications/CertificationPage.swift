import WardenCore

/// A page of certifications with Veza's `total_result_count`: how many certifications match in all.
public struct CertificationPage: Encodable, Sendable {
    public var values: [Certification]
    public var nextPageToken: String
    public var hasMore: Bool
    public var totalResultCount: Int64

    enum CodingKeys: String, CodingKey {
        case values
        case nextPageToken = "next_page_token"
        case hasMore = "has_more"
        case totalResultCount = "total_result_count"
    }
}
