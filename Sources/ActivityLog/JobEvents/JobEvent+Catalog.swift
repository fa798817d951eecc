import SCIMFilter
import WardenCore

extension JobEvent {
    /// The filterable fields of Veza's Integration Jobs API, with its operators and case rules.
    static let catalog = FieldCatalog([
        CatalogField("started_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
        CatalogField("completed_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
        CatalogField("state", type: .enumeration(TaskState.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("job_id", type: .string, operators: [.eq, .co], caseExact: true, sortable: true, nullable: false),
        CatalogField("policy_task", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("action_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("extraction_event", type: .string, operators: [.eq], caseExact: true),
        CatalogField("any_changes", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("events_created", type: .integer, operators: [.eq], sortable: true),
        CatalogField("action_type", type: .enumeration(ActionType.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("identity_id", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true, sortable: true),
        CatalogField("identity_name", type: .string, operators: [.eq, .co, .sw, .ew], sortable: true),
        CatalogField("received_response_at", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true, sortable: true),
        CatalogField("extraction_event_type", type: .string, operators: [.eq, .ne], sortable: true),
        CatalogField("event_source", type: .enumeration(EventSource.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("event_source_id", type: .string, operators: [.eq], caseExact: true),
        CatalogField("created_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("policy_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("workflow_name", type: .string, operators: [.eq, .co], caseExact: true, sortable: true),
    ])

    /// `GET /api/private/lifecycle_management/job_events`: newest first, at most 1000 a page.
    public static let listSpec = ListSpec.activity("job_events", catalog: catalog, defaultOrder: "created_at desc")
}
