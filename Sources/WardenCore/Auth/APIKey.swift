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
    public var status: Status
    public var createdAt: Timestamp
    public var createdBy: String
    public var lastAccessAt: Timestamp?
    /// The full key: set only in the response that creates it, empty everywhere else (as Veza does).
    public var accessKey: String

    enum CodingKeys: String, CodingKey {
        case id, name, role, email, status
        case createdAt = "created_at"
        case createdBy = "created_by"
        case lastAccessAt = "last_access_at"
        case accessKey = "access_key"
    }

    public init(
        id: String, name: String, role: Role, email: String, status: Status, createdAt: Timestamp, createdBy: String, lastAccessAt: Timestamp?,
        accessKey: String = ""
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.email = email
        self.status = status
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastAccessAt = lastAccessAt
        self.accessKey = accessKey
    }
}
