import SCIMFilter
import WardenCore

/// A review configuration (Veza's workflow): what certifications are created from and who owns them.
public struct ReviewWorkflow: Codable, Sendable, Equatable {
    public var workflowID: String
    public var name: String
    public var description: String
    public var notes: String
    public var owner: WorkflowUser?
    public var creator: WorkflowUser
    public var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case name
        case description
        case notes
        case owner
        case creator
        case createdAt = "created_at"
    }

    /// A create body (Warden's addition: Veza documents no create call for workflows).
    public struct Input: Decodable, Sendable {
        public var name: String
        public var description: String?
        public var notes: String?
        public var owner: WorkflowUser?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case description
            case notes
            case owner
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(CodingKeys.self, "not a field of a new review workflow; its fields are name, description, notes, owner")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            notes = try container.decodeIfPresent(String.self, forKey: .notes)
            owner = try container.decodeIfPresent(WorkflowUser.self, forKey: .owner)
        }
    }
}
