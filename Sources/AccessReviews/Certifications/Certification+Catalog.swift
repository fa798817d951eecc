import SCIMFilter
import WardenCore

extension Certification {
    /// The fields `GET /api/preview/awf/certifications` filters and sorts on.
    public static let listSpec = ListSpec(
        name: "awf_certifications",
        catalog: FieldCatalog([
            CatalogField("certification_id", type: .string, operators: [.eq], caseExact: true),
            CatalogField("workflow_id", type: .string, operators: [.eq], caseExact: true),
            CatalogField("name", type: .string, operators: [.eq, .ne, .co, .sw, .ew], sortable: true, nullable: false),
            CatalogField("created_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
            CatalogField("due_date", type: .timestamp, operators: [.gt, .ge, .lt, .le, .pr], sortable: true),
        ]),
        defaultOrder: "created_at desc",
        tiebreaker: CatalogField("seq", type: .integer, operators: [], nullable: false),
        maximumPageSize: 1000
    )
}
