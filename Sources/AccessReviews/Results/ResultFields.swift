import SCIMFilter
import WardenCore

/// The fields of certification result rows that filters may use.
///
/// `source` and `destination` hold whatever node properties the rows were loaded with, so their
/// members are open: any `source.<property>` is a valid field, and one no row has matches only
/// `eq null` and `ne`.
public enum ResultFields {
    static let text: Set<FilterOperator> = [.eq, .ne, .co, .sw, .ew, .pr]

    /// The reviewer-owned fields: what a smart action's `mutable_filter` may test.
    public static let mutable = [
        CatalogField("decision", type: .enumeration(ResultDecision.allCases.map(\.rawValue)), operators: [.eq, .ne], caseExact: true),
        CatalogField("signed_off_state", type: .enumeration(SignedOffState.allCases.map(\.rawValue)), operators: [.eq, .ne], caseExact: true),
        CatalogField("notes", type: .string, operators: text),
    ]

    /// Every field: the row's id, its permissions, the reviewer-owned fields, and the open
    /// `source.*` and `destination.*`.
    public static let catalog = FieldCatalog([
        CatalogField("result_id", type: .integer, operators: [.eq, .ne, .gt, .ge, .lt, .le], sortable: true, nullable: false),
        CatalogField("abstract_permissions", type: .stringArray, operators: text),
        CatalogField("concrete_permissions", type: .stringArray, operators: text),
    ] + mutable, openObjects: ["source", "destination"])

    /// The reviewer-owned fields alone.
    public static let mutableCatalog = FieldCatalog(mutable)

    /// The catalog of one certification's rows: every field, and each property its rows have, typed
    /// as its values are. Of properties whose names differ only in letter case, the first in
    /// byte order is filterable.
    static func catalog(properties: [ResultProperty], kind: DatabaseKind) -> FieldCatalog {
        var seen = Set(catalog.fields.map { $0.name.lowercased() })
        var fields = catalog.fields
        for property in properties.sorted(by: { ($0.side, $0.name) < ($1.side, $1.name) }) where ResultProperty.isFilterable(property.name) {
            let field = property.field(kind)
            guard seen.insert(field.name.lowercased()).inserted else { continue }
            fields.append(field)
        }
        return FieldCatalog(fields, openObjects: catalog.openObjects)
    }
}
