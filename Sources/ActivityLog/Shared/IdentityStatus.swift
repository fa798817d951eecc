import WardenCore

/// Why a workflow task was triggered for an identity.
public enum IdentityStatus: String, WireEnum {
    /// No identity change, e.g. a manual trigger.
    case none = "NONE"
    /// A new identity appeared in the source of identity.
    case new = "NEW"
    /// The identity was removed from the source of identity.
    case deleted = "DELETED"
    /// Attributes of an existing identity changed (Veza's list is cut off after DELETED; this is Warden's name).
    case changed = "CHANGED"
}
