import SCIMFilter

/// One key of an order: a field and a direction.
public struct SortKey: Sendable, Equatable {
    public let field: CatalogField
    public let descending: Bool

    public init(field: CatalogField, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    /// `name asc` / `name desc`, as the canonical order text.
    public var canonical: String { "\(field.name) \(descending ? "desc" : "asc")" }
}

extension ListSpec {
    /// Parses `order_by` (`field [asc|desc]`, comma-separated; ascending by default) against the catalog
    /// and appends the tiebreaker. An absent or blank `order_by` means the default order.
    public func sortKeys(orderBy: String?) throws(APIError) -> [SortKey] {
        let text = orderBy?.trimmingCharacters(in: .whitespaces) ?? ""
        var keys = try parseOrder(text.isEmpty ? defaultOrder : text)
        if !keys.contains(where: { $0.field.name == tiebreaker.name }) {
            keys.append(SortKey(field: tiebreaker, descending: keys.last?.descending ?? false))
        }
        return keys
    }

    private func parseOrder(_ text: String) throws(APIError) -> [SortKey] {
        var keys: [SortKey] = []
        let tiebreakerIsPublic = catalog.field(named: tiebreaker.name) != nil
        let sortable = catalog.fields.filter(\.sortable).map(\.name) + (tiebreakerIsPublic ? [tiebreaker.name] : [])
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let name = words.first else {
                throw .invalidArgument("order_by", "order_by has an empty entry; write field [asc|desc], separated by commas")
            }
            guard words.count <= 2 else {
                throw .invalidArgument("order_by", "order_by entry \"\(part.trimmingCharacters(in: .whitespaces))\" has too many words; write field [asc|desc]")
            }
            let field: CatalogField
            if let known = catalog.field(named: name), known.sortable {
                field = known
            } else if tiebreakerIsPublic, name.lowercased() == tiebreaker.name.lowercased() {
                field = tiebreaker
            } else if catalog.field(named: name) != nil {
                throw .invalidArgument("order_by", "order_by cannot sort by \"\(name)\"; sortable fields are: \(sortable.joined(separator: ", "))")
            } else {
                throw .invalidArgument("order_by", "order_by names unknown field \"\(name)\"; sortable fields are: \(sortable.joined(separator: ", "))")
            }
            var descending = false
            if words.count == 2 {
                switch words[1].lowercased() {
                case "asc": descending = false
                case "desc": descending = true
                default:
                    throw .invalidArgument("order_by", "order_by expects asc or desc after \"\(name)\", got \"\(words[1])\"")
                }
            }
            if keys.contains(where: { $0.field.name == field.name }) {
                throw .invalidArgument("order_by", "order_by names \"\(field.name)\" twice")
            }
            keys.append(SortKey(field: field, descending: descending))
        }
        return keys
    }
}
