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
    /// CREATE_EMAIL: give the user the first free address of `rendered`'s candidates
    /// (`EmailAddressCandidates`) as its work e-mail, or keep the one it already holds.
    case createEmail(rendered: String)
    /// RESET_PASSWORD: set a generated password of `length` characters on the user.
    case resetPassword(length: Int)

    /// The name the job records.
    var name: String {
        switch self {
        case .sync: "sync"
        case .deprovision: "deprovision"
        case .delete: "delete"
        case .manageRelationships: "manage_relationships"
        case .createEntitlement: "create_entitlement"
        case .createEmail: "create_email"
        case .resetPassword: "reset_password"
        }
    }
}
