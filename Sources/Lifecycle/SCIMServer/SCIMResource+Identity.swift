import SCIMFilter

extension SCIMResource {
    /// The identity attributes a pushed User gives its identity (see `docs/scim.md`): the SCIM `id`
    /// under the source's `id_attribute`, the core and enterprise attributes flattened under their
    /// SCIM names (`givenName`, `email` for the primary or first address, `manager` for the
    /// manager's id, …), and `groups`, the display names of the Groups that hold the user, sorted.
    func identityAttributes(source: IdentitySource, groups: [String]) -> [String: JSONValue] {
        var identity: [String: JSONValue] = [:]
        for name in ["userName", "externalId", "displayName", "nickName", "title", "userType", "preferredLanguage", "locale", "timezone", "profileUrl"] {
            if let value = attributes[name] { identity[name] = value }
        }
        identity["active"] = attributes["active"] ?? .bool(true)
        if case .object(let name)? = attributes["name"] {
            for part in ["formatted", "givenName", "familyName", "middleName"] {
                if let value = name[part] { identity[part] = value }
            }
        }
        if let email = Self.primaryValue(attributes["emails"]) { identity["email"] = email }
        if let phone = Self.primaryValue(attributes["phoneNumbers"]) { identity["phoneNumber"] = phone }
        if case .object(let enterprise)? = attributes[SCIMSchema.enterpriseURN] {
            for name in ["employeeNumber", "costCenter", "organization", "division", "department"] {
                if let value = enterprise[name] { identity[name] = value }
            }
            if case .object(let manager)? = enterprise["manager"], let value = manager["value"] { identity["manager"] = value }
        }
        identity["groups"] = .array(groups.sorted().map(JSONValue.string))
        if identity[source.nameAttribute] == nil { identity[source.nameAttribute] = identity["displayName"] ?? identity["userName"] }
        identity[source.idAttribute] = .string(id)
        return identity
    }

    /// The `value` of the primary element of a multi-valued attribute, else of its first.
    private static func primaryValue(_ attribute: JSONValue?) -> JSONValue? {
        guard case .array(let elements)? = attribute else { return nil }
        let objects = elements.compactMap { element -> [String: JSONValue]? in
            if case .object(let object) = element { return object }
            return nil
        }
        return (objects.first { $0["primary"] == .bool(true) } ?? objects.first)?["value"]
    }
}
