import SCIMFilter
import WardenCore

/// A User or Group pushed to `/scim/v2`, as Warden stores it beside the identity: the attributes
/// the client sent (checked against the schema), a version that counts its changes, and when.
struct SCIMResource: Sendable, Equatable {
    var id: String
    var sourceID: String
    var type: SCIMResourceType
    var attributes: [String: JSONValue]
    var version: Int64
    var createdAt: Timestamp
    var updatedAt: Timestamp

    /// The weak entity tag of this version.
    var etag: String { "W/\"\(version)\"" }

    /// The value of the type's unique attribute, lower-cased: what uniqueness compares.
    var uniqueKey: String {
        if case .string(let text)? = attributes[type.uniqueAttribute] { return text.lowercased() }
        return ""
    }

    /// The member ids of a Group.
    var memberIDs: [String] {
        guard case .array(let members)? = attributes["members"] else { return [] }
        return members.compactMap { member in
            if case .object(let object) = member, case .string(let value)? = object["value"] { return value }
            return nil
        }
    }

    var displayName: String {
        if case .string(let text)? = attributes["displayName"] { return text }
        return uniqueKey
    }

    /// The resource as SCIM shows it: its attributes, `id`, and `meta`; a User with the `groups`
    /// that hold it.
    func json(baseURL: String, groups: [SCIMResource] = []) -> JSONValue {
        var object = attributes
        object["id"] = .string(id)
        if type == .user, !groups.isEmpty {
            object["groups"] = .array(groups.map { group in
                ["value": .string(group.id), "$ref": .string("\(baseURL)/Groups/\(group.id)"), "display": .string(group.displayName), "type": "direct"]
            })
        }
        object["meta"] = [
            "resourceType": .string(type.rawValue), "created": .string(createdAt.rfc3339), "lastModified": .string(updatedAt.rfc3339),
            "location": .string("\(baseURL)\(type.endpoint)/\(id)"), "version": .string(etag),
        ]
        return .object(object)
    }
}
