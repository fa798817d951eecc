/// What a SCIM action does to the target for one identity.
public enum SCIMOperation: Sendable, Equatable {
    /// SYNC_IDENTITIES: create the user, or update its mapped attributes.
    case sync
    /// DEPROVISION_IDENTITY: set the user's `active` to false.
    case deprovision
    /// DELETE_IDENTITY: delete the user.
    case delete
    /// MANAGE_RELATIONSHIPS: add the user to the groups of `grant`'s access profiles and remove it
    /// from those of `revoke`'s (by profile name) and from the groups `revokeGroups` names.
    case manageRelationships(grant: [String], revoke: [String], revokeGroups: [String])
    /// CREATE_ENTITLEMENT: create the group with this display name unless it exists.
    case createEntitlement(displayName: String)

    /// The name the job records.
    var name: String {
        switch self {
        case .sync: "sync"
        case .deprovision: "deprovision"
        case .delete: "delete"
        case .manageRelationships: "manage_relationships"
        case .createEntitlement: "create_entitlement"
        }
    }
}
