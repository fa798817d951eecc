import SCIMFilter
import WardenCore

/// One change to a result row, as its `action_log` shows it.
///
/// Beyond Veza's members, an entry names the state it signed the row into; for a smart action or
/// its undo, the definition (id and name) and the batch; for a remediation, its task.
public struct ActionLogEntry: Codable, Sendable, Equatable {
    public var action: Action
    public var user: WorkflowUser
    public var time: Timestamp
    /// The row's notes as this change set them; empty when it left them alone.
    public var note: String
    public var reviewerDetail: ReviewerDetail?
    public var decisionDetail: DecisionDetail?
    public var signedOffState: SignedOffState?
    public var smartActionDefinitionID: String?
    public var smartActionName: String?
    public var smartActionBatchID: String?
    /// For a remediation's entry, the workflow task that removes (or removed) the rejected access.
    public var remediationTaskID: String?

    /// What kind of change it was.
    public enum Action: String, WireEnum {
        case unknown = "UNKNOWN"
        /// A reviewer's change through `PUT results`.
        case update = "UPDATE"
        /// A `PUT results` that signed the row off.
        case signOff = "SIGN_OFF"
        /// An admin's `results:force_update`.
        case forceUpdate = "FORCE_UPDATE"
        case smartAction = "SMART_ACTION"
        case undoSmartAction = "UNDO_SMART_ACTION"
        /// Warden's remediation of a signed-off rejection: its task started, errored, or fixed the row.
        case remediation = "REMEDIATION"
    }

    /// The reviewers before and after a reassignment.
    public struct ReviewerDetail: Codable, Sendable, Equatable {
        public var oldReviewers: [WorkflowUser]
        public var newReviewers: [WorkflowUser]

        enum CodingKeys: String, CodingKey {
            case oldReviewers = "old_reviewers"
            case newReviewers = "new_reviewers"
        }
    }

    /// The decision a change made, with the note given with it.
    public struct DecisionDetail: Codable, Sendable, Equatable {
        public var decision: ResultDecision
        public var note: String
    }

    enum CodingKeys: String, CodingKey {
        case action
        case user
        case time
        case note
        case reviewerDetail = "reviewer_detail"
        case decisionDetail = "decision_detail"
        case signedOffState = "signed_off_state"
        case smartActionDefinitionID = "smart_action_definition_id"
        case smartActionName = "smart_action_name"
        case smartActionBatchID = "smart_action_batch_id"
        case remediationTaskID = "remediation_task_id"
    }
}

/// A row's history, oldest first.
public struct ActionLog: Codable, Sendable, Equatable {
    public var entries: [ActionLogEntry]

    public init(entries: [ActionLogEntry] = []) {
        self.entries = entries
    }
}
