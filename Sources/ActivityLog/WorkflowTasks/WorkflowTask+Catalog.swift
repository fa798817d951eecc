import SCIMFilter
import WardenCore

extension WorkflowTask {
    /// The filterable fields of Veza's Triggered Workflows API, with its operators and case rules.
    static let catalog = FieldCatalog([
        CatalogField("id", type: .string, operators: [.eq], caseExact: true, sortable: true, nullable: false),
        CatalogField("policy_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("policy_version_number", type: .integer, operators: [.eq, .gt, .lt, .ge, .le], sortable: true),
        CatalogField("entity_type", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("entity_id", type: .string, operators: [.eq], caseExact: true, sortable: true),
        CatalogField("state", type: .enumeration(TaskState.allCases.map(\.rawValue)), operators: [.eq], sortable: true),
        CatalogField("dry_run", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("workflow", type: .string, operators: [.eq, .ne, .co], sortable: true),
        CatalogField("scheduled_at", type: .timestamp, operators: [.gt, .lt, .ge, .le], sortable: true),
        CatalogField("extraction_event", type: .string, operators: [.eq], caseExact: true),
        CatalogField("previous_task_id", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true),
        CatalogField("identity_id", type: .string, operators: [.eq, .co, .sw, .ew], caseExact: true, sortable: true),
        CatalogField("identity_name", type: .string, operators: [.eq, .co, .sw, .ew], sortable: true),
        CatalogField("started_at", type: .timestamp, operators: [.gt, .lt, .ge, .le], sortable: true),
        CatalogField("completed_at", type: .timestamp, operators: [.gt, .lt, .ge, .le], sortable: true),
        CatalogField("any_changes", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("high_priority", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("manually_triggered", type: .boolean, operators: [.eq], sortable: true),
        CatalogField("manually_triggered_by", type: .string, operators: [.eq, .ne], caseExact: true, sortable: true),
        CatalogField("manually_override_workflows", type: .boolean, operators: [.eq]),
        CatalogField("identity_status", type: .enumeration(IdentityStatus.allCases.map(\.rawValue)), operators: [.eq, .ne], sortable: true),
        CatalogField("priority", type: .integer, operators: [.eq, .ne, .gt, .ge, .lt, .le], sortable: true),
        CatalogField("reason", type: .string, operators: [.eq, .ne], caseExact: true),
        CatalogField("t_created_at", type: .timestamp, operators: [.gt, .lt, .ge, .le], sortable: true, nullable: false),
        CatalogField("t_updated_at", type: .timestamp, operators: [.gt, .lt, .ge, .le], sortable: true, nullable: false),
        CatalogField("runtime_change_limit_reached", type: .boolean, operators: [.eq]),
        CatalogField("disregard_change_limit", type: .boolean, operators: [.eq]),
    ])

    /// `GET /api/private/lifecycle_management/workflow_tasks`: newest first, at most 1000 a page.
    public static let listSpec = ListSpec.activity("workflow_tasks", catalog: catalog, defaultOrder: "t_created_at desc")
}
