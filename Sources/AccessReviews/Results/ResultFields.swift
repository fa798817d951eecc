import SCIMFilter
import WardenCore

/// The fields of certification result rows that filters may use.
///
/// `source` and `destination` hold whatever node properties the rows were loaded with, so their
/// members are open: any `source.<property>` is a valid field, and one no row has matches only
/// `eq null` and `ne`. `reviewers.email`, `reviewers.id` and `reviewers.name` are multi-valued
/// (any of the row's reviewers matches); `reviewers` alone means their emails.
public enum ResultFields {
    static let text: Set<FilterOperator> = [.eq, .ne, .co, .sw, .ew, .pr]

    /// The reviewer-owned fields: what a smart action's `mutable_filter` may test.
    static func mutable(_ kind: DatabaseKind) -> [CatalogField] {
        [
            CatalogField("decision", type: .enumeration(ResultDecision.allCases.map(\.rawValue)), operators: [.eq, .ne], caseExact: true),
            CatalogField("signed_off_state", type: .enumeration(SignedOffState.allCases.map(\.rawValue)), operators: [.eq, .ne], caseExact: true),
            CatalogField("notes", type: .string, operators: text),
            reviewers("reviewers", member: "email", kind),
            reviewers("reviewers.email", member: "email", kind),
            reviewers("reviewers.id", member: "id", kind, caseExact: true),
            reviewers("reviewers.name", member: "name", kind),
        ]
    }

    /// One member of every reviewer of the row, as a JSON array.
    private static func reviewers(_ name: String, member: String, _ kind: DatabaseKind, caseExact: Bool = false) -> CatalogField {
        let column = switch kind {
        case .sqlite: "SELECT json_group_array(json_extract(r.value, '$.\(member)')) FROM json_each(reviewers) AS r"
        case .postgres: "SELECT COALESCE(jsonb_agg(r.value->>'\(member)'), '[]'::jsonb) FROM jsonb_array_elements(reviewers::jsonb) AS r(value)"
        }
        return CatalogField(name, column: column, type: .stringArray, operators: text, caseExact: caseExact)
    }

    /// Every field on `kind`: the row's id, its permissions, the reviewer-owned fields, and the
    /// open `source.*` and `destination.*`.
    static func fields(_ kind: DatabaseKind) -> [CatalogField] {
        [
            CatalogField("result_id", type: .integer, operators: [.eq, .ne, .gt, .ge, .lt, .le], sortable: true, nullable: false),
            CatalogField("abstract_permissions", type: .stringArray, operators: text),
            CatalogField("concrete_permissions", type: .stringArray, operators: text),
        ] + mutable(kind)
    }

    static let openObjects = ["source", "destination"]

    /// Every field, for checking a filter before any certification is known (a smart action
    /// definition's `filter`).
    public static let catalog = FieldCatalog(fields(.sqlite), openObjects: openObjects)

    /// The reviewer-owned fields alone, for checking a `mutable_filter`.
    public static let mutableCatalog = FieldCatalog(mutable(.sqlite))

    /// The catalog of one certification's rows on `kind`: every field, and each property its rows
    /// have, typed as its values are. Of properties whose names differ only in letter case, the
    /// first in byte order is filterable.
    static func catalog(properties: [ResultProperty], kind: DatabaseKind) -> FieldCatalog {
        var fields = fields(kind)
        var seen = Set(fields.map { $0.name.lowercased() })
        for property in properties.sorted(by: { ($0.side, $0.name) < ($1.side, $1.name) }) where ResultProperty.isFilterable(property.name) {
            let field = property.field(kind)
            guard seen.insert(field.name.lowercased()).inserted else { continue }
            fields.append(field)
        }
        return FieldCatalog(fields, openObjects: openObjects)
    }
}
