import SCIMFilter
import WardenCore

/// One integration job an action dispatched to a target system (Veza's ActionJobEvent).
public struct JobEvent: ActivityRecord, Equatable {
    public var jobID: String
    public var policyTask: String
    public var actionName: String
    public var actionType: ActionType
    public var state: TaskState
    public var policyID: String
    public var workflowName: String
    public var identityID: String
    public var identityName: String
    public var extractionEvent: String
    public var extractionEventType: String
    public var anyChanges: Bool
    public var eventsCreated: Int64
    public var eventSource: EventSource
    public var eventSourceID: String
    public var createdAt: Timestamp
    public var startedAt: Timestamp?
    public var completedAt: Timestamp?
    /// When the target system's answer arrived (RFC 3339), or empty while waiting.
    public var receivedResponseAt: String
    /// The JobRequest: target data source, input entities, action type and configuration.
    /// Listed only with `details=true`.
    public var jobRequest: JSONValue?
    /// The JobResult: output entities, errors and whether anything changed. Listed only with `details=true`.
    public var jobResult: JSONValue?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case jobID = "job_id"
        case policyTask = "policy_task"
        case actionName = "action_name"
        case actionType = "action_type"
        case state
        case policyID = "policy_id"
        case workflowName = "workflow_name"
        case identityID = "identity_id"
        case identityName = "identity_name"
        case extractionEvent = "extraction_event"
        case extractionEventType = "extraction_event_type"
        case anyChanges = "any_changes"
        case eventsCreated = "events_created"
        case eventSource = "event_source"
        case eventSourceID = "event_source_id"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case receivedResponseAt = "received_response_at"
        case jobRequest = "job_request"
        case jobResult = "job_result"
    }

    public init(
        jobID: String, policyTask: String, actionName: String, actionType: ActionType, state: TaskState, policyID: String, workflowName: String, identityID: String, identityName: String, extractionEvent: String, extractionEventType: String, anyChanges: Bool, eventsCreated: Int64, eventSource: EventSource, eventSourceID: String, createdAt: Timestamp, startedAt: Timestamp?, completedAt: Timestamp?, receivedResponseAt: String, jobRequest: JSONValue?, jobResult: JSONValue?
    ) {
        self.jobID = jobID
        self.policyTask = policyTask
        self.actionName = actionName
        self.actionType = actionType
        self.state = state
        self.policyID = policyID
        self.workflowName = workflowName
        self.identityID = identityID
        self.identityName = identityName
        self.extractionEvent = extractionEvent
        self.extractionEventType = extractionEventType
        self.anyChanges = anyChanges
        self.eventsCreated = eventsCreated
        self.eventSource = eventSource
        self.eventSourceID = eventSourceID
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.receivedResponseAt = receivedResponseAt
        self.jobRequest = jobRequest
        self.jobResult = jobResult
    }

    /// The job with both payloads on the wire, `null` when there is none, as a get shows it.
    public var withDetailsShown: JobEvent {
        var job = self
        job.jobRequest = jobRequest ?? .null
        job.jobResult = jobResult ?? .null
        return job
    }
}
