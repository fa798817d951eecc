import SCIMFilter
import WardenCore

/// A named bundle of entitlements, the groups of one SCIM connector, that MANAGE_RELATIONSHIPS
/// grants or revokes as a whole: a policy says "Engineering joiners get Engineering-Base" instead of
/// listing groups.
public struct AccessProfile: Sendable, Equatable, Encodable {
    public var id: String
    /// Unique; what actions name.
    public var name: String
    public var description: String
    /// The SCIM connector whose groups these are.
    public var connector: String
    /// The groups' display names, in the order given.
    public var groups: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, name, description, connector, groups
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
