import SCIMFilter

/// A list request's query (RFC 7644 §3.4.2): `filter`, `sortBy`/`sortOrder`, `startIndex`/`count`,
/// and `attributes`/`excludedAttributes`.
struct SCIMListQuery: Sendable {
    static let defaultCount = 100
    static let maximumCount = 1000

    var filter: FilterExpression?
    var sortBy: AttributePath?
    var descending = false
    /// From 1.
    var startIndex = 1
    var count = defaultCount
    var attributes: [String] = []
    var excludedAttributes: [String] = []

    /// Reads a SearchRequest body (RFC 7644 §3.4.3) as the query of a list of `type`.
    init(searchRequest body: JSONValue, type: SCIMResourceType) throws(SCIMError) {
        try self.init(Self.parameters(ofSearchRequest: body), type: type)
    }

    /// A SearchRequest's members as query parameters; a member of the wrong type is an invalidValue 400.
    static func parameters(ofSearchRequest body: JSONValue) throws(SCIMError) -> [String: String] {
        guard case .object(let object) = body else { throw .badRequest(.invalidSyntax, "the body must be a SearchRequest JSON object") }
        var query: [String: String] = [:]
        for (name, value) in object where name != "schemas" {
            guard ["attributes", "excludedAttributes", "filter", "sortBy", "sortOrder", "startIndex", "count"].contains(name) else {
                throw .badRequest(.invalidValue, "a SearchRequest has no member \(name)")
            }
            switch value {
            case .string(let text): query[name] = text
            case .number(let number) where number.rounded() == number: query[name] = String(Int(number))
            case .array(let names): query[name] = names.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: ",")
            case .null: continue
            default: throw .badRequest(.invalidValue, "the SearchRequest's \(name) has the wrong type")
            }
        }
        return query
    }

    /// Reads the query of a list of `type`; a bad parameter is a 400 naming it.
    init(_ query: [String: String], type: SCIMResourceType) throws(SCIMError) {
        if let text = query["filter"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try Filter.parse(text)
            } catch {
                throw .badRequest(.invalidFilter, error.message)
            }
            try Self.check(filter!, type: type)
        }
        if let text = query["sortBy"], !text.isEmpty {
            // The filter parser reads the attribute path, schema URN and all.
            guard case .present(let path)? = try? Filter.parse("\(text) pr"), Self.knows(path, type: type) else {
                throw .badRequest(.invalidValue, "sortBy: a \(type.rawValue) has no attribute \(text)")
            }
            sortBy = path
        }
        switch query["sortOrder"]?.lowercased() {
        case nil, "", "ascending": descending = false
        case "descending": descending = true
        case let other?: throw .badRequest(.invalidValue, "sortOrder must be ascending or descending, not \(other)")
        }
        if let text = query["startIndex"] {
            guard let value = Int(text) else { throw .badRequest(.invalidValue, "startIndex must be an integer, not \(text)") }
            startIndex = max(1, value)
        }
        if let text = query["count"] {
            guard let value = Int(text) else { throw .badRequest(.invalidValue, "count must be an integer, not \(text)") }
            count = min(max(0, value), Self.maximumCount)
        }
        attributes = Self.names(query["attributes"])
        excludedAttributes = Self.names(query["excludedAttributes"])
    }

    private static func names(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Rejects a filter on an attribute the type does not have, as invalidFilter naming it.
    private static func check(_ expression: FilterExpression, type: SCIMResourceType, within parent: AttributePath? = nil) throws(SCIMError) {
        switch expression {
        case .comparison(let path, _, _), .present(let path):
            let full = parent.map { AttributePath(schemaURN: $0.schemaURN, name: $0.name, subAttribute: path.name) } ?? path
            guard knows(full, type: type) else { throw .badRequest(.invalidFilter, "a \(type.rawValue) has no attribute \(full.dottedName) to filter on") }
        case .and(let left, let right), .or(let left, let right):
            try check(left, type: type, within: parent)
            try check(right, type: type, within: parent)
        case .not(let inner):
            try check(inner, type: type, within: parent)
        case .valuePath(let path, let inner):
            guard knows(path, type: type) else { throw .badRequest(.invalidFilter, "a \(type.rawValue) has no attribute \(path.dottedName) to filter on") }
            try check(inner, type: type, within: path)
        }
    }

    /// Whether `path` names an attribute (and sub-attribute) of the type's schemas, `id`, `externalId` or `meta`.
    static func knows(_ path: AttributePath, type: SCIMResourceType) -> Bool {
        let name = path.name.lowercased()
        if path.schemaURN == nil || path.schemaURN?.lowercased() == type.schema.id.lowercased() {
            if ["id", "externalid"].contains(name) { return path.subAttribute == nil }
            if name == "meta" {
                return path.subAttribute.map { ["resourcetype", "created", "lastmodified", "location", "version"].contains($0.lowercased()) } ?? true
            }
        }
        let schemas = path.schemaURN.map { urn in ([type.schema] + type.extensions).filter { $0.id.lowercased() == urn.lowercased() } } ?? [type.schema]
        guard let attribute = schemas.first?.attribute(path.name) else { return false }
        guard let sub = path.subAttribute else { return true }
        return attribute.subAttribute(sub) != nil || (attribute.type != .complex && sub.lowercased() == "value")
    }

    /// The lower-cased value the filter asks the type's unique attribute to equal (`userName eq "…"`,
    /// the lookup identity providers make before each create), which the store finds by its index.
    func uniqueKey(of type: SCIMResourceType) -> String? {
        guard case .comparison(let path, .eq, .string(let value))? = filter, path.subAttribute == nil,
            path.schemaURN == nil || path.schemaURN?.lowercased() == type.schema.id.lowercased(),
            path.name.lowercased() == type.uniqueAttribute.lowercased()
        else { return nil }
        return value.lowercased()
    }

    /// The page of `resources` (as SCIM shows them) the query asks for, as a ListResponse.
    func page(_ resources: [JSONValue]) throws(SCIMError) -> JSONValue {
        paged(try matching(resources))
    }

    /// The resources the filter matches.
    func matching(_ resources: [JSONValue]) throws(SCIMError) -> [JSONValue] {
        guard let filter else { return resources }
        var matching: [JSONValue] = []
        for resource in resources {
            do {
                if try FilterEvaluator().matches(filter, resource) { matching.append(resource) }
            } catch {
                throw .badRequest(.invalidFilter, error.message)
            }
        }
        return matching
    }

    /// The sorted page of already filtered resources, as a ListResponse.
    func paged(_ matching: [JSONValue]) -> JSONValue {
        var matching = matching
        if let sortBy {
            let keyed = matching.map { (Self.sortKey($0, sortBy), $0) }
            matching = keyed.sorted { left, right in
                switch (left.0, right.0) {
                case (nil, nil): false
                case (nil, _): false
                case (_, nil): true
                case (let a?, let b?): descending ? a > b : a < b
                }
            }.map(\.1)
        }
        let start = min(startIndex - 1, matching.count)
        return listResponse(total: matching.count, page: Array(matching[start..<min(start + count, matching.count)]))
    }

    /// A ListResponse of `page`, the resources from `startIndex` of the `total` that matched.
    func listResponse(total: Int, page: [JSONValue]) -> JSONValue {
        [
            "schemas": [.string(SCIMSchema.listURN)], "totalResults": .number(Double(total)), "startIndex": .number(Double(startIndex)),
            "itemsPerPage": .number(Double(page.count)), "Resources": .array(page.map(projected)),
        ]
    }

    /// `resource` with only the asked-for attributes (`id`, `schemas` and `meta` always), or without the excluded ones.
    func projected(_ resource: JSONValue) -> JSONValue {
        guard case .object(var object) = resource, !attributes.isEmpty || !excludedAttributes.isEmpty else { return resource }
        let always: Set<String> = ["id", "schemas", "meta"]
        if !attributes.isEmpty {
            let wanted = Set(attributes.map { Self.topLevel($0) })
            object = object.filter { always.contains($0.key) || wanted.contains($0.key.lowercased()) }
        }
        let excluded = Set(excludedAttributes.map { Self.topLevel($0) })
        object = object.filter { always.contains($0.key) || !excluded.contains($0.key.lowercased()) }
        return .object(object)
    }

    /// The top-level member an attribute name selects, lower-cased: `name` of `name.givenName`, the
    /// extension's URN of `urn:…:User:department`.
    private static func topLevel(_ name: String) -> String {
        let lowered = name.lowercased()
        if let schema = SCIMSchema.all.first(where: { lowered.hasPrefix($0.id.lowercased() + ":") }) {
            return schema.id == SCIMSchema.user.id || schema.id == SCIMSchema.group.id
                ? String(lowered.dropFirst(schema.id.count + 1).split(separator: ".").first ?? "") : schema.id.lowercased()
        }
        return String(lowered.split(separator: ".").first ?? "")
    }

    /// The text a resource sorts by: the attribute's value (a multi-valued one's primary or first), lower-cased.
    private static func sortKey(_ resource: JSONValue, _ path: AttributePath) -> String? {
        guard case .object(var object) = resource else { return nil }
        if let urn = path.schemaURN, case .object(let members)? = object.first(where: { $0.key.lowercased() == urn.lowercased() })?.value {
            object = members
        }
        var value = object.first { $0.key.lowercased() == path.name.lowercased() }?.value
        if case .array(let elements)? = value {
            value = elements.first { if case .object(let element) = $0 { element["primary"] == .bool(true) } else { false } } ?? elements.first
        }
        if let sub = path.subAttribute, case .object(let members)? = value {
            value = members.first { $0.key.lowercased() == sub.lowercased() }?.value
        } else if path.subAttribute == nil, case .object(let members)? = value, let inner = members["value"] {
            value = inner
        }
        switch value {
        case .string(let text)?: return text.lowercased()
        case .number(let number)?: return String(format: "%020.6f", number)
        case .bool(let flag)?: return flag ? "1" : "0"
        default: return nil
        }
    }
}
