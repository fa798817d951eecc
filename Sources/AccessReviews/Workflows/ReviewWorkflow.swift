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
    /// What starts when a reviewer's rejection is signed off (Warden's extension); nil for nothing.
    public var remediation: Remediation?

    /// A lifecycle policy's workflow that removes rejected access: started for the row's identity,
    /// with the row's destination as `{entitlement.*}`.
    public struct Remediation: Codable, Sendable, Equatable {
        public var policyID: String
        public var workflow: String

        public init(policyID: String, workflow: String) {
            self.policyID = policyID
            self.workflow = workflow
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case policyID = "policy_id"
            case workflow
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(CodingKeys.self, "not a field of a remediation; its fields are policy_id, workflow")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            policyID = try container.decode(String.self, forKey: .policyID)
            workflow = try container.decode(String.self, forKey: .workflow)
        }
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case name
        case description
        case notes
        case owner
        case creator
        case createdAt = "created_at"
        case remediation
    }

    /// A create body (Warden's addition: Veza documents no create call for workflows).
    public struct Input: Decodable, Sendable {
        public var name: String
        public var description: String?
        public var notes: String?
        public var owner: WorkflowUser?
        public var remediation: Remediation?

        public init(name: String, description: String? = nil, notes: String? = nil, owner: WorkflowUser? = nil, remediation: Remediation? = nil) {
            self.name = name
            self.description = description
            self.notes = notes
            self.owner = owner
            self.remediation = remediation
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case description
            case notes
            case owner
            case remediation
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(CodingKeys.self, "not a field of a new review workflow; its fields are name, description, notes, owner, remediation")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            notes = try container.decodeIfPresent(String.self, forKey: .notes)
            owner = try container.decodeIfPresent(WorkflowUser.self, forKey: .owner)
            remediation = try container.decodeIfPresent(Remediation.self, forKey: .remediation)
        }
    }
}
