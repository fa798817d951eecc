import SCIMFilter
import WardenCore

extension Identity {
    /// The identity list's filterable and sortable fields.
    static let catalog = FieldCatalog([
        CatalogField("id", type: .string, operators: [.eq], caseExact: true, sortable: true, nullable: false),
        CatalogField("source_id", type: .string, operators: [.eq], caseExact: true, sortable: true, nullable: false),
        CatalogField("entity_id", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true, sortable: true, nullable: false),
        CatalogField("name", type: .string, operators: [.eq, .ne, .co, .sw, .ew], sortable: true, nullable: false),
        CatalogField("active", type: .boolean, operators: [.eq], sortable: true, nullable: false),
        CatalogField("first_seen_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("updated_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("left_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
        CatalogField("last_extraction_event", type: .string, operators: [.eq], caseExact: true),
    ])

    /// `GET /api/private/lifecycle_management/identities`: most recently changed first, at most 1000 a page.
    public static let listSpec = ListSpec(
        name: "lcm_identities", catalog: catalog, defaultOrder: "updated_at desc",
        tiebreaker: CatalogField("seq", type: .integer, operators: [], nullable: false), maximumPageSize: 1000)
}
