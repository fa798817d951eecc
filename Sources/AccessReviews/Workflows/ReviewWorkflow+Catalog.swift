import SCIMFilter
import WardenCore

extension ReviewWorkflow {
    /// The fields `GET /api/preview/awf/workflows` filters and sorts on.
    public static let listSpec = ListSpec(
        name: "awf_workflows",
        catalog: FieldCatalog([
            CatalogField("workflow_id", type: .string, operators: [.eq], caseExact: true),
            CatalogField("name", type: .string, operators: [.eq, .ne, .co, .sw, .ew], sortable: true, nullable: false),
            CatalogField("created_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        ]),
        defaultOrder: "created_at desc",
        tiebreaker: CatalogField("seq", type: .integer, operators: [], nullable: false),
        maximumPageSize: 1000
    )
}
