import SCIMFilter

/// One identity as a policy sees it: what triggers and conditions test and templates render from.
public struct IdentitySnapshot: Sendable, Equatable {
    /// The identity's id within its source (the HR system's employee id, say).
    public var id: String
    public var name: String
    /// The identity source it belongs to.
    public var sourceID: String
    /// Every attribute, by name, as the last import gave it.
    public var attributes: [String: JSONValue]

    public init(id: String, name: String, sourceID: String, attributes: [String: JSONValue]) {
        self.id = id
        self.name = name
        self.sourceID = sourceID
        self.attributes = attributes
    }
}

/// How an identity changed in an extraction: what workflow triggers react to.
public enum IdentityChangeKind: String, Sendable, CaseIterable, Codable {
    /// It appeared in the source (a joiner, or a re-hire after leaving).
    case joined = "JOINED"
    /// Some of its attributes changed (a mover).
    case changed = "CHANGED"
    /// It is gone from a full snapshot (a leaver).
    case left = "LEFT"
}
