import SCIMFilter
import WardenCore

extension ActionEvent {
    /// The seed's filterable fields, with the operators and case rules it gives.
    static let catalog = FieldCatalog([
        CatalogField("state", type: .enumeration(TaskState.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("policy_task", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("action_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("action_type", type: .enumeration(ActionType.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("policy_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("workflow_name", type: .string, operators: [.eq, .co], caseExact: true, sortable: true),
        CatalogField("identity_id", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true, sortable: true),
        CatalogField("identity_name", type: .string, operators: [.eq, .co, .sw, .ew], sortable: true),
        CatalogField("started_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("completed_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
        CatalogField("any_changes", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("extraction_event", type: .string, operators: [.eq], caseExact: true),
        CatalogField("jobs_started", type: .integer, operators: [.eq], sortable: true),
    ])

    /// `GET /api/private/lifecycle_management/action_events`: newest first, at most 1000 a page.
    public static let listSpec = ListSpec.activity("action_events", catalog: catalog, defaultOrder: "started_at desc")
}
