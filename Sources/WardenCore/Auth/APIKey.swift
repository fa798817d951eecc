import SCIMFilter

/// An API key as the API shows it. The secret is never stored; only its SHA-256 hash is.
public struct APIKey: Codable, Sendable, Equatable {
    /// Whether a key may still be used.
    public enum Status: String, WireEnum {
        case active = "ACTIVE"
        case revoked = "REVOKED"
    }

    public var id: String
    public var name: String
    public var role: Role
    /// The person the key belongs to, lower-cased; "" when none. A reviewer's key always has one:
    /// it decides which result rows are theirs. No two active keys share one.
    public var email: String
    /// The identity source (its id or name) a `provisioner` key pushes identities into through
    /// `/scim/v2`; "" for every other role.
    public var identitySource: String
    public var status: Status
    public var createdAt: Timestamp
    public var createdBy: String
    public var lastAccessAt: Timestamp?
    /// The full key: set only in the response that creates it, empty everywhere else (as Veza does).
    public var accessKey: String

    enum CodingKeys: String, CodingKey {
        case id, name, role, email, status
        case identitySource = "identity_source"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case lastAccessAt = "last_access_at"
        case accessKey = "access_key"
    }

    public init(
        id: String, name: String, role: Role, email: String, identitySource: String = "", status: Status, createdAt: Timestamp, createdBy: String, lastAccessAt: Timestamp?,
        accessKey: String = ""
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.email = email
        self.identitySource = identitySource
        self.status = status
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastAccessAt = lastAccessAt
        self.accessKey = accessKey
    }
}
