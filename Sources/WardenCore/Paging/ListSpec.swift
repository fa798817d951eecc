import SCIMFilter

/// What one list endpoint accepts: its field catalog, default order, unique tiebreaker and page sizes.
public struct ListSpec: Sendable {
    /// Names the list in page tokens, so a token from one list is refused by another.
    public let name: String
    public let catalog: FieldCatalog
    /// The order used when `order_by` is absent, e.g. `started_at desc`.
    public let defaultOrder: String
    /// A unique column that ends every order, so pages are stable.
    public let tiebreaker: CatalogField
    public let defaultPageSize: Int
    public let maximumPageSize: Int

    public init(name: String, catalog: FieldCatalog, defaultOrder: String, tiebreaker: CatalogField, defaultPageSize: Int = 100, maximumPageSize: Int) {
        self.name = name
        self.catalog = catalog
        self.defaultOrder = defaultOrder
        self.tiebreaker = tiebreaker
        self.defaultPageSize = defaultPageSize
        self.maximumPageSize = maximumPageSize
    }
}
