import SCIMFilter
import WardenCore

extension SCIMResourceType {
    /// The single-valued attributes a list's filter and sort run on inside the database: each a
    /// JSON path into the stored attributes (or a column), compared without case as the in-memory
    /// evaluator compares. A filter or sort outside it (multi-valued attributes such as `emails`,
    /// value paths) is evaluated in memory instead.
    func catalog(_ kind: DatabaseKind) -> FieldCatalog {
        let text: Set<FilterOperator> = [.eq, .ne, .co, .sw, .ew, .gt, .ge, .lt, .le, .pr]
        func attribute(_ name: String, _ path: [String], type: FieldType = .string) -> CatalogField {
            let operators: Set<FilterOperator> = type == .boolean ? [.eq, .ne, .pr] : text
            return CatalogField(name, column: Self.jsonColumn(path, type: type, kind), type: type, operators: operators, sortable: true)
        }
        var fields = [
            CatalogField("id", type: .string, operators: text, sortable: true, nullable: false),
            CatalogField("meta.created", column: "created_at", type: .timestamp, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr], sortable: true, nullable: false),
            CatalogField("meta.lastModified", column: "updated_at", type: .timestamp, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr], sortable: true, nullable: false),
            attribute("externalId", ["externalId"]),
        ]
        for schemaAttribute in schema.attributes where !schemaAttribute.multiValued && schemaAttribute.mutability != .writeOnly {
            switch schemaAttribute.type {
            case .complex:
                for sub in schemaAttribute.subAttributes {
                    fields.append(attribute("\(schemaAttribute.name).\(sub.name)", [schemaAttribute.name, sub.name]))
                }
            case .boolean:
                fields.append(attribute(schemaAttribute.name, [schemaAttribute.name], type: .boolean))
            default:
                fields.append(attribute(schemaAttribute.name, [schemaAttribute.name]))
            }
        }
        for extensionSchema in extensions {
            for extensionAttribute in extensionSchema.attributes {
                if extensionAttribute.type == .complex {
                    for sub in extensionAttribute.subAttributes {
                        fields.append(attribute("\(extensionAttribute.name).\(sub.name)", [extensionSchema.id, extensionAttribute.name, sub.name]))
                    }
                } else {
                    fields.append(attribute(extensionAttribute.name, [extensionSchema.id, extensionAttribute.name]))
                }
            }
        }
        return FieldCatalog(fields)
    }

    /// The SQL of the stored attribute at `path` (keys from the top): SQLite's `json_extract`,
    /// PostgreSQL's `#>>` on the text cast to jsonb.
    private static func jsonColumn(_ path: [String], type: FieldType, _ kind: DatabaseKind) -> String {
        switch kind {
        case .sqlite:
            return "json_extract(attributes, '$" + path.map { ".\"\($0)\"" }.joined() + "')"
        case .postgres:
            let value = "(attributes::jsonb #>> '{" + path.map { "\"\($0)\"" }.joined(separator: ",") + "}')"
            return type == .boolean ? "(\(value)::boolean)" : value
        }
    }
}
