/// The body of a `…:export` call: `{"body": {"filter": …, "order_by": …}, "format": "CSV"}`.
public struct ExportRequest: Decodable, Sendable {
    /// The list parameters the export applies, validated exactly as the list validates them.
    public struct Body: Decodable, Sendable {
        public var filter: String?
        public var orderBy: String?

        enum CodingKeys: String, CodingKey {
            case filter
            case orderBy = "order_by"
        }
    }

    public var body: Body?
    public var format: ExportFormat?

    /// The format, CSV when absent.
    public var resolvedFormat: ExportFormat { format ?? .csv }
}
