extension ListPage: Decodable where Value: Decodable {
    /// Reads a list answer back, as clients and server-rendered pages of the API's lists do.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            values: try container.decode([Value].self, forKey: .values), nextPageToken: try container.decode(String.self, forKey: .nextPageToken),
            hasMore: try container.decode(Bool.self, forKey: .hasMore))
    }
}
