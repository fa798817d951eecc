import SCIMFilter
import WardenCore

/// One run of a workflow for one identity (Veza's PolicyWorkflowTask, a "triggered workflow").
public struct WorkflowTask: ActivityRecord, Equatable {
    public var id: String
    public var policyID: String
    public var policyVersionNumber: Int64
    public var entityType: String
    public var entityID: String
    public var state: TaskState
    public var dryRun: Bool
    public var workflow: String
    public var scheduledAt: Timestamp?
    public var extractionEvent: String
    /// The task this one restarts, or empty.
    public var previousTaskID: String
    public var identityID: String
    public var identityName: String
    public var startedAt: Timestamp?
    public var completedAt: Timestamp?
    public var anyChanges: Bool
    public var highPriority: Bool
    public var priority: Int64
    public var manuallyTriggered: Bool
    public var manuallyTriggeredBy: String
    public var manuallyOverrideWorkflows: Bool
    public var identityStatus: IdentityStatus
    public var reason: String
    /// What happened, newest last; when ERRORED, what went wrong in words an operator can act on.
    public var messages: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var runtimeChangeLimitReached: Bool
    public var disregardChangeLimit: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case policyID = "policy_id"
        case policyVersionNumber = "policy_version_number"
        case entityType = "entity_type"
        case entityID = "entity_id"
        case state
        case dryRun = "dry_run"
        case workflow
        case scheduledAt = "scheduled_at"
        case extractionEvent = "extraction_event"
        case previousTaskID = "previous_task_id"
        case identityID = "identity_id"
        case identityName = "identity_name"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case anyChanges = "any_changes"
        case highPriority = "high_priority"
        case priority
        case manuallyTriggered = "manually_triggered"
        case manuallyTriggeredBy = "manually_triggered_by"
        case manuallyOverrideWorkflows = "manually_override_workflows"
        case identityStatus = "identity_status"
        case reason
        case messages
        case createdAt = "t_created_at"
        case updatedAt = "t_updated_at"
        case runtimeChangeLimitReached = "runtime_change_limit_reached"
        case disregardChangeLimit = "disregard_change_limit"
    }

    public init(
        id: String, policyID: String, policyVersionNumber: Int64, entityType: String, entityID: String, state: TaskState, dryRun: Bool, workflow: String, scheduledAt: Timestamp?, extractionEvent: String, previousTaskID: String, identityID: String, identityName: String, startedAt: Timestamp?, completedAt: Timestamp?, anyChanges: Bool, highPriority: Bool, priority: Int64, manuallyTriggered: Bool, manuallyTriggeredBy: String, manuallyOverrideWorkflows: Bool, identityStatus: IdentityStatus, reason: String, messages: [String], createdAt: Timestamp, updatedAt: Timestamp, runtimeChangeLimitReached: Bool, disregardChangeLimit: Bool
    ) {
        self.id = id
        self.policyID = policyID
        self.policyVersionNumber = policyVersionNumber
        self.entityType = entityType
        self.entityID = entityID
        self.state = state
        self.dryRun = dryRun
        self.workflow = workflow
        self.scheduledAt = scheduledAt
        self.extractionEvent = extractionEvent
        self.previousTaskID = previousTaskID
        self.identityID = identityID
        self.identityName = identityName
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.anyChanges = anyChanges
        self.highPriority = highPriority
        self.priority = priority
        self.manuallyTriggered = manuallyTriggered
        self.manuallyTriggeredBy = manuallyTriggeredBy
        self.manuallyOverrideWorkflows = manuallyOverrideWorkflows
        self.identityStatus = identityStatus
        self.reason = reason
        self.messages = messages
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.runtimeChangeLimitReached = runtimeChangeLimitReached
        self.disregardChangeLimit = disregardChangeLimit
    }
}
