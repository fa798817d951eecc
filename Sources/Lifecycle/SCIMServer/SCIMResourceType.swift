import SCIMFilter

/// The resource types `/scim/v2` serves: User (with the enterprise extension) and Group.
enum SCIMResourceType: String, Sendable, CaseIterable {
    case user = "User"
    case group = "Group"

    /// The endpoint, relative to `/scim/v2`.
    var endpoint: String { self == .user ? "/Users" : "/Groups" }

    var schema: SCIMSchema { self == .user ? .user : .group }

    var extensions: [SCIMSchema] { self == .user ? [.enterprise] : [] }

    /// The attribute whose value is unique within a source, ignoring case.
    var uniqueAttribute: String { self == .user ? "userName" : "displayName" }

    /// The resource type as `/ResourceTypes` shows it.
    func json(baseURL: String) -> JSONValue {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": .string(rawValue), "name": .string(rawValue),
            "endpoint": .string(endpoint), "description": .string(self == .user ? "User Account" : "Group"), "schema": .string(schema.id),
            "schemaExtensions": .array(extensions.map { ["schema": .string($0.id), "required": false] }),
            "meta": ["resourceType": "ResourceType", "location": .string("\(baseURL)/ResourceTypes/\(rawValue)")],
        ]
    }
}

extension SCIMResourceType {
    /// Checks a resource sent by a client against the schemas and returns what Warden stores of it:
    /// attribute names as the schema spells them, read-only attributes, `id`, `meta` and the
    /// never-stored password dropped, the `schemas` it uses. Every problem is a 400 naming the attribute.
    func validated(_ input: JSONValue) throws(SCIMError) -> [String: JSONValue] {
        guard case .object(let object) = input else { throw .badRequest(.invalidSyntax, "the body must be a JSON object") }
        var stored: [String: JSONValue] = [:]
        var schemas: [String] = [schema.id]
        if let declared = object.first(where: { $0.key.lowercased() == "schemas" })?.value {
            guard case .array(let values) = declared, values.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                throw .badRequest(.invalidSyntax, "schemas must be an array of schema URNs")
            }
            let urns = values.compactMap { if case .string(let urn) = $0 { urn } else { nil } }
            guard urns.contains(where: { $0.lowercased() == schema.id.lowercased() }) else {
                throw .badRequest(.invalidSyntax, "schemas must include \(schema.id)")
            }
            for urn in urns where urn.lowercased() != schema.id.lowercased() {
                guard extensions.contains(where: { $0.id.lowercased() == urn.lowercased() }) else {
                    throw .badRequest(.invalidValue, "schemas names \(urn), which a \(rawValue) does not have")
                }
            }
        }
        for (name, value) in object {
            let lowered = name.lowercased()
            if ["schemas", "id", "meta"].contains(lowered) { continue }
            if lowered == "externalid" {
                guard case .string = value else {
                    if value == .null { continue }
                    throw .badRequest(.invalidValue, "externalId must be a string")
                }
                stored["externalId"] = value
                continue
            }
            if let extensionSchema = extensions.first(where: { $0.id.lowercased() == lowered }) {
                guard case .object(let members) = value else { throw .badRequest(.invalidValue, "\(extensionSchema.id) must be an object") }
                var checked: [String: JSONValue] = [:]
                for (member, memberValue) in members where member.lowercased() != "schemas" {
                    guard let attribute = extensionSchema.attribute(member) else {
                        throw .badRequest(.invalidValue, "\(extensionSchema.id) has no attribute \"\(member)\"")
                    }
                    if let kept = try Self.checked(memberValue, attribute, path: "\(extensionSchema.id):\(attribute.name)") { checked[attribute.name] = kept }
                }
                if !checked.isEmpty {
                    stored[extensionSchema.id] = .object(checked)
                    if !schemas.contains(extensionSchema.id) { schemas.append(extensionSchema.id) }
                }
                continue
            }
            guard let attribute = schema.attribute(name) else {
                throw .badRequest(.invalidValue, "a \(rawValue) has no attribute \"\(name)\"")
            }
            if let kept = try Self.checked(value, attribute, path: attribute.name) { stored[attribute.name] = kept }
        }
        for attribute in schema.attributes where attribute.required {
            guard case .string(let text)? = stored[attribute.name], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .badRequest(.invalidValue, "\(attribute.name) is required")
            }
        }
        stored["schemas"] = .array(schemas.map(JSONValue.string))
        return stored
    }

    /// `value` checked against `attribute`, with sub-attribute names as the schema spells them; nil
    /// when nothing of it is stored (null, read-only, write-only).
    private static func checked(_ value: JSONValue, _ attribute: SCIMAttribute, path: String, inArray: Bool = false) throws(SCIMError) -> JSONValue? {
        if value == .null || attribute.mutability == .readOnly || attribute.mutability == .writeOnly { return nil }
        if attribute.multiValued, !inArray {
            let elements: [JSONValue]
            if case .array(let array) = value { elements = array } else { elements = [value] }
            var kept: [JSONValue] = []
            for element in elements {
                if let checked = try checked(element, attribute, path: path, inArray: true) { kept.append(checked) }
            }
            if attribute.type == .complex {
                let primaries = kept.filter { if case .object(let object) = $0 { object["primary"] == .bool(true) } else { false } }
                guard primaries.count <= 1 else { throw .badRequest(.invalidValue, "\(path): at most one value may be primary") }
            }
            return kept.isEmpty ? nil : .array(kept)
        }
        switch (attribute.type, value) {
        case (.string, .string), (.reference, .string), (.binary, .string), (.dateTime, .string), (.boolean, .bool), (.decimal, .number):
            return value
        case (.integer, .number(let number)) where number.rounded() == number:
            return value
        case (.boolean, .string(let text)) where ["true", "false"].contains(text.lowercased()):
            return .bool(text.lowercased() == "true")
        case (.complex, .object(let members)):
            var kept: [String: JSONValue] = [:]
            for (name, member) in members {
                guard let sub = attribute.subAttribute(name) else {
                    throw .badRequest(.invalidValue, "\(path) has no sub-attribute \"\(name)\"")
                }
                if let checked = try checked(member, sub, path: "\(path).\(sub.name)") { kept[sub.name] = checked }
            }
            return kept.isEmpty ? nil : .object(kept)
        default:
            throw .badRequest(.invalidValue, "\(path) must be \(attribute.type == .complex ? "an object" : "a \(attribute.type.rawValue)")")
        }
    }
}
