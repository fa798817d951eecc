import SCIMFilter
import WardenCore

/// One version of a policy's configuration. Versions are never deleted: a task keeps running on the
/// version it started with.
public struct PolicyVersion: Encodable, Sendable {
    public var policyID: String
    public var versionNumber: Int
    public var state: PolicyVersionState
    /// Validated and compiled; written as the JSON saved.
    public var config: PolicyConfig
    public var createdAt: Timestamp
    public var createdBy: String
    public var updatedAt: Timestamp
    public var publishedAt: Timestamp?
    /// Who published it; empty while it is a draft.
    public var publishedBy: String

    enum CodingKeys: String, CodingKey {
        case policyID = "policy_id"
        case versionNumber = "version_number"
        case state, config
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
        case publishedAt = "published_at"
        case publishedBy = "published_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policyID, forKey: .policyID)
        try container.encode(versionNumber, forKey: .versionNumber)
        try container.encode(state, forKey: .state)
        try container.encode(config.document, forKey: .config)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(publishedAt, forKey: .publishedAt)
        try container.encode(publishedBy, forKey: .publishedBy)
    }
}
