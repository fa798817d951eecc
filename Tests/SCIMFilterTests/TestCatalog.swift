import SCIMFilter

/// A catalog with every field type, shaped like the activity log's.
enum TestCatalog {
    static let states = ["PENDING", "RUNNING", "COMPLETED", "ERRORED"]
    static let actionTypes = ["SYNC_IDENTITIES", "MANAGE_RELATIONSHIPS", "SEND_NOTIFICATION"]
    static let comparisons: Set<FilterOperator> = [.eq, .ne, .gt, .ge, .lt, .le, .pr]

    static let catalog = FieldCatalog([
        CatalogField("state", type: .enumeration(states), operators: [.eq, .ne, .co, .gt], sortable: true),
        CatalogField("action_type", type: .enumeration(actionTypes), operators: [.eq]),
        CatalogField("action_name", type: .string, operators: Set(FilterOperator.allCases)),
        CatalogField("identity_id", type: .string, operators: [.eq, .ne, .co, .sw, .ew], caseExact: true),
        CatalogField("code", type: .string, operators: Set(FilterOperator.allCases), caseExact: true),
        CatalogField("started_at", column: "started_at_ns", type: .timestamp, operators: comparisons.union([.co])),
        CatalogField("any_changes", type: .boolean, operators: [.eq, .ne, .pr, .gt, .co]),
        CatalogField("jobs_started", type: .integer, operators: comparisons.union([.co])),
        CatalogField("score", type: .double, operators: comparisons),
        CatalogField("source.name", column: "source_name", type: .string, operators: [.eq, .co, .pr]),
        CatalogField("nick", column: "json_extract(data, '$.nick')", type: .string, operators: [.eq]),
        CatalogField("tags", type: .stringArray, operators: Set(FilterOperator.allCases)),
        CatalogField("labels", type: .stringArray, operators: [.eq, .ne, .co, .sw, .ew], caseExact: true),
    ])
}
