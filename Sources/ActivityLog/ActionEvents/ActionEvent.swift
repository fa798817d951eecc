import SCIMFilter
import WardenCore

/// One action's execution within a triggered workflow task, as Veza's Workflow Actions API shows it.
///
/// `policy_task` and `action_name` together identify it.
public struct ActionEvent: ActivityRecord, Equatable {
    public var policyTask: String
    public var actionName: String
    public var actionType: ActionType
    public var state: TaskState
    public var policyID: String
    public var policyVersionNumber: Int64
    public var workflowName: String
    public var identityID: String
    public var identityName: String
    public var extractionEvent: String
    public var anyChanges: Bool
    public var jobsStarted: Int64
    public var startedAt: Timestamp
    public var completedAt: Timestamp?
    /// What went wrong when ERRORED, in words an operator can act on; otherwise a short outcome.
    public var message: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case policyTask = "policy_task"
        case actionName = "action_name"
        case actionType = "action_type"
        case state
        case policyID = "policy_id"
        case policyVersionNumber = "policy_version_number"
        case workflowName = "workflow_name"
        case identityID = "identity_id"
        case identityName = "identity_name"
        case extractionEvent = "extraction_event"
        case anyChanges = "any_changes"
        case jobsStarted = "jobs_started"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case message
    }

    public init(
        policyTask: String, actionName: String, actionType: ActionType, state: TaskState, policyID: String,
        policyVersionNumber: Int64, workflowName: String, identityID: String, identityName: String,
        extractionEvent: String, anyChanges: Bool, jobsStarted: Int64, startedAt: Timestamp, completedAt: Timestamp?,
        message: String
    ) {
        self.policyTask = policyTask
        self.actionName = actionName
        self.actionType = actionType
        self.state = state
        self.policyID = policyID
        self.policyVersionNumber = policyVersionNumber
        self.workflowName = workflowName
        self.identityID = identityID
        self.identityName = identityName
        self.extractionEvent = extractionEvent
        self.anyChanges = anyChanges
        self.jobsStarted = jobsStarted
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.message = message
    }
}
