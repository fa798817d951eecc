import SCIMFilter
import WardenCore

/// One identity of a source, as its last import left it.
public struct Identity: Codable, Sendable, Equatable {
    /// Warden's id: the same for the same source and `entity_id`, so a re-hire keeps it.
    public var id: String
    public var sourceID: String
    /// The source's own id for it (the value of the source's `id_attribute`).
    public var entityID: String
    public var name: String
    /// False once a full import no longer holds it.
    public var active: Bool
    public var attributes: [String: JSONValue]
    public var firstSeenAt: Timestamp
    public var updatedAt: Timestamp
    public var leftAt: Timestamp?
    public var lastExtractionEvent: String
    /// Every change imports recorded, oldest first; only on a get.
    public var history: [IdentityChange]?

    enum CodingKeys: String, CodingKey {
        case id
        case sourceID = "source_id"
        case entityID = "entity_id"
        case name, active, attributes
        case firstSeenAt = "first_seen_at"
        case updatedAt = "updated_at"
        case leftAt = "left_at"
        case lastExtractionEvent = "last_extraction_event"
        case history
    }

    /// The identity as policies see it.
    public var snapshot: IdentitySnapshot {
        IdentitySnapshot(id: id, name: name, sourceID: sourceID, attributes: attributes)
    }
}

/// One change an import recorded for an identity.
public struct IdentityChange: Codable, Sendable, Equatable {
    /// The attribute's value before and after; null where it was or became absent.
    public struct AttributeChange: Codable, Sendable, Equatable {
        public var old: JSONValue
        public var new: JSONValue
    }

    public var extractionEvent: String
    public var identityID: String
    public var kind: IdentityChangeKind
    /// For CHANGED, each changed attribute by name; empty otherwise.
    public var changedAttributes: [String: AttributeChange]
    public var at: Timestamp

    enum CodingKeys: String, CodingKey {
        case extractionEvent = "extraction_event"
        case identityID = "identity_id"
        case kind
        case changedAttributes = "changed_attributes"
        case at
    }
}
