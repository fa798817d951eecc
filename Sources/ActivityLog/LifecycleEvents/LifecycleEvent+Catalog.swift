import SCIMFilter
import WardenCore

extension LifecycleEvent {
    /// The filterable fields of Veza's Events API, with its operators and case rules.
    static let catalog = FieldCatalog([
        CatalogField("timestamp", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("identity_entity_type", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("identity_entity_id", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("identity_entity_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("data_source_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("provider_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("entity_type", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("entity_id", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("entity_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("event_type", type: .enumeration(LifecycleEventType.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("success", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("extraction_event", type: .string, operators: [.eq], caseExact: true),
        CatalogField("policy_task", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("relationship_entity_type", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("relationship_entity_id", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("relationship_entity_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("job_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("event_source", type: .enumeration(EventSource.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("event_source_id", type: .string, operators: [.eq], caseExact: true),
        CatalogField("relationship_assigned_to_entity_type", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("relationship_assigned_to_entity_id", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("relationship_assigned_to_entity_name", type: .string, operators: [.eq, .co], sortable: true),
        CatalogField("id", type: .string, operators: [.eq], caseExact: true, sortable: true, nullable: false),
        CatalogField("identity_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("workflow_name", type: .string, operators: [.eq, .co], caseExact: true, sortable: true),
        CatalogField("policy_name", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("datasource_name", type: .string, operators: [.eq], caseExact: true, sortable: true),
    ])

    /// `GET /api/private/lifecycle_management/events`: newest first, at most 1000 a page.
    public static let listSpec = ListSpec.activity("events", catalog: catalog, defaultOrder: "timestamp desc")
}
