import SCIMFilter

extension APIKey {
    /// The fields `GET /api/preview/keys` filters and sorts on.
    public static let catalog = FieldCatalog([
        CatalogField("id", type: .string, operators: [.eq], caseExact: true),
        CatalogField("name", type: .string, operators: [.eq, .ne, .co, .sw, .ew], sortable: true),
        CatalogField("email", type: .string, operators: [.eq, .ne, .co, .sw, .ew, .pr], sortable: true),
        CatalogField("role", type: .enumeration(Role.allCases.map(\.rawValue)), operators: [.eq, .ne], sortable: true),
        CatalogField("status", type: .enumeration(Status.allCases.map(\.rawValue)), operators: [.eq, .ne], sortable: true),
        CatalogField("created_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
        CatalogField("last_access_at", column: "last_used_at", type: .timestamp, operators: [.gt, .ge, .lt, .le, .pr], sortable: true),
        CatalogField("created_by", type: .string, operators: [.eq, .co], sortable: true),
    ])

    /// The list specification of `GET /api/preview/keys`.
    public static let listSpec = ListSpec(
        name: "api_keys",
        catalog: catalog,
        defaultOrder: "created_at desc",
        tiebreaker: CatalogField("id", type: .string, operators: [.eq], caseExact: true),
        maximumPageSize: 1000
    )
}
