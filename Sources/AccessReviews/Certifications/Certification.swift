import SCIMFilter
import WardenCore

/// One run of a review workflow: the result rows reviewers decide on.
public struct Certification: Codable, Sendable, Equatable {
    public var certificationID: String
    public var workflowID: String
    public var name: String
    public var notes: String
    public var dueDate: Timestamp?
    public var createdAt: Timestamp
    public var createdBy: WorkflowUser
    /// When rows were last loaded or changed.
    public var resultsUpdatedAt: Timestamp?
    public var totalResultCount: Int64
    /// Rows with an accept, reject or fixed decision.
    public var totalCompleteCount: Int64

    enum CodingKeys: String, CodingKey {
        case certificationID = "certification_id"
        case workflowID = "workflow_id"
        case name
        case notes
        case dueDate = "due_date"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case resultsUpdatedAt = "results_updated_at"
        case totalResultCount = "total_result_count"
        case totalCompleteCount = "total_complete_count"
    }

    /// Veza's create body. Its graph-snapshot and reviewer-assignment members are accepted and
    /// ignored: Warden's rows come from imports, each with its reviewers.
    public struct Input: Decodable, Sendable {
        public var workflowID: String
        public var name: String?
        public var notes: String?
        public var dueDate: Timestamp?

        public init(workflowID: String, name: String? = nil, notes: String? = nil, dueDate: Timestamp? = nil) {
            self.workflowID = workflowID
            self.name = name
            self.notes = notes
            self.dueDate = dueDate
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case workflowID = "workflow_id"
            case name
            case notes
            case dueDate = "due_date"
            case dataSource = "data_source"
            case snapshotID = "snapshot_id"
            case reviewerAssignment = "reviewer_assignment"
            case reviewerAssignmentSecondLevel = "reviewer_assignment_second_level"
            case automationIDs = "automation_ids"
            case finalApprovalLevel = "final_approval_level"
            case dynamicInformation = "dynamic_information"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(
                CodingKeys.self, "not a field of a new certification; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            workflowID = try container.decode(String.self, forKey: .workflowID)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            notes = try container.decodeIfPresent(String.self, forKey: .notes)
            dueDate = try container.decodeIfPresent(Timestamp.self, forKey: .dueDate)
        }
    }
}
