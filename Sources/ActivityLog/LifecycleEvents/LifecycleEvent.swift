import SCIMFilter
import WardenCore

/// One change Warden made, or failed to make, in a target system: an entry of the Events tab.
public struct LifecycleEvent: ActivityRecord, Equatable {
    public var id: String
    /// When it happened.
    public var timestamp: Timestamp
    public var eventType: LifecycleEventType
    /// Whether the change succeeded.
    public var success: Bool
    /// What happened; when it failed, what went wrong in words an operator can act on.
    public var message: String
    public var identityID: String
    /// The identity the change was made for: its entity in the target system.
    public var identityEntityType: String
    public var identityEntityID: String
    public var identityEntityName: String
    public var dataSourceID: String
    public var datasourceName: String
    public var providerID: String
    /// The entity the event changed.
    public var entityType: String
    public var entityID: String
    public var entityName: String
    /// The group, role or entitlement involved, for relationship events.
    public var relationshipEntityType: String
    public var relationshipEntityID: String
    public var relationshipEntityName: String
    /// Who the relationship was assigned to.
    public var relationshipAssignedToEntityType: String
    public var relationshipAssignedToEntityID: String
    public var relationshipAssignedToEntityName: String
    public var extractionEvent: String
    public var policyTask: String
    public var jobID: String
    public var eventSource: EventSource
    public var eventSourceID: String
    public var workflowName: String
    public var policyName: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case timestamp
        case eventType = "event_type"
        case success
        case message
        case identityID = "identity_id"
        case identityEntityType = "identity_entity_type"
        case identityEntityID = "identity_entity_id"
        case identityEntityName = "identity_entity_name"
        case dataSourceID = "data_source_id"
        case datasourceName = "datasource_name"
        case providerID = "provider_id"
        case entityType = "entity_type"
        case entityID = "entity_id"
        case entityName = "entity_name"
        case relationshipEntityType = "relationship_entity_type"
        case relationshipEntityID = "relationship_entity_id"
        case relationshipEntityName = "relationship_entity_name"
        case relationshipAssignedToEntityType = "relationship_assigned_to_entity_type"
        case relationshipAssignedToEntityID = "relationship_assigned_to_entity_id"
        case relationshipAssignedToEntityName = "relationship_assigned_to_entity_name"
        case extractionEvent = "extraction_event"
        case policyTask = "policy_task"
        case jobID = "job_id"
        case eventSource = "event_source"
        case eventSourceID = "event_source_id"
        case workflowName = "workflow_name"
        case policyName = "policy_name"
    }

    public init(
        id: String, timestamp: Timestamp, eventType: LifecycleEventType, success: Bool, message: String, identityID: String, identityEntityType: String, identityEntityID: String, identityEntityName: String, dataSourceID: String, datasourceName: String, providerID: String, entityType: String, entityID: String, entityName: String, relationshipEntityType: String, relationshipEntityID: String, relationshipEntityName: String, relationshipAssignedToEntityType: String, relationshipAssignedToEntityID: String, relationshipAssignedToEntityName: String, extractionEvent: String, policyTask: String, jobID: String, eventSource: EventSource, eventSourceID: String, workflowName: String, policyName: String
    ) {
        self.id = id
        self.timestamp = timestamp
        self.eventType = eventType
        self.success = success
        self.message = message
        self.identityID = identityID
        self.identityEntityType = identityEntityType
        self.identityEntityID = identityEntityID
        self.identityEntityName = identityEntityName
        self.dataSourceID = dataSourceID
        self.datasourceName = datasourceName
        self.providerID = providerID
        self.entityType = entityType
        self.entityID = entityID
        self.entityName = entityName
        self.relationshipEntityType = relationshipEntityType
        self.relationshipEntityID = relationshipEntityID
        self.relationshipEntityName = relationshipEntityName
        self.relationshipAssignedToEntityType = relationshipAssignedToEntityType
        self.relationshipAssignedToEntityID = relationshipAssignedToEntityID
        self.relationshipAssignedToEntityName = relationshipAssignedToEntityName
        self.extractionEvent = extractionEvent
        self.policyTask = policyTask
        self.jobID = jobID
        self.eventSource = eventSource
        self.eventSourceID = eventSourceID
        self.workflowName = workflowName
        self.policyName = policyName
    }
}
