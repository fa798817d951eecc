import AccessReviews

/// A page of result rows as `ResultStore.listBody` writes it for the API, read back for a page.
struct ResultPage: Decodable, Sendable {
    var values: [ReviewResult]
    var nextPageToken: String
    var hasMore: Bool

    enum CodingKeys: String, CodingKey {
        case values
        case nextPageToken = "next_page_token"
        case hasMore = "has_more"
    }
}

/// One row as `ResultStore.getBody` writes it: `{"value": {...}}`.
struct ResultEnvelope: Decodable, Sendable {
    var value: ReviewResult
}
