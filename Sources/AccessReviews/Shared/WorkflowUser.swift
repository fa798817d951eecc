import WardenCore

/// A person (or API key) in a review: an owner, creator, reviewer or the author of a change.
public struct WorkflowUser: Codable, Sendable, Equatable, Hashable {
    /// Veza's identity-provider kind (`localCookieUser`, `OktaUser`, …); Warden's API keys are `ApiKey`.
    public var userType: String
    public var id: String
    public var email: String
    public var name: String

    public init(userType: String, id: String, email: String, name: String) {
        self.userType = userType
        self.id = id
        self.email = email
        self.name = name
    }

    /// The caller of a request, identified by its API key (and the key's email, if it has one).
    public init(_ key: APIKey) {
        self.init(userType: "ApiKey", id: key.id, email: key.email, name: key.name)
    }

    /// Warden's lifecycle runner: the creator of the certifications CREATE_ACCESS_REVIEW makes and
    /// the author of a remediation's log entries.
    public static let lifecycleRunner = WorkflowUser(userType: "Warden", id: "lifecycle", email: "", name: "Warden lifecycle runner")

    enum CodingKeys: String, CodingKey {
        case userType = "user_type"
        case id
        case email
        case name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userType = try container.decodeIfPresent(String.self, forKey: .userType) ?? ""
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        email = try container.decodeIfPresent(String.self, forKey: .email) ?? ""
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
    }
}
