import WardenCore

extension LifecycleEvent {
    public static let resource = "events"
    public static let noun = "lifecycle event"
    public static let operations: (list: APIOperation, get: APIOperation, export: APIOperation) = (.listLifecycleEvents, .getLifecycleEvent, .exportLifecycleEvents)
    public static let table = "lcm_events"
    public static let columns = CodingKeys.allCases.map(\.rawValue)
    public static let keyColumns = ["id"]
    public static let csvColumns: [CSVColumn] = [.text, .timestamp, .text, .boolean] + Array(repeating: .text, count: 24)

    public init(reading row: inout DatabaseRowReader) throws {
        id = try row.text()
        timestamp = try row.timestamp()
        eventType = try row.wireEnum(LifecycleEventType.self)
        success = try row.bool()
        message = try row.text()
        identityID = try row.text()
        identityEntityType = try row.text()
        identityEntityID = try row.text()
        identityEntityName = try row.text()
        dataSourceID = try row.text()
        datasourceName = try row.text()
        providerID = try row.text()
        entityType = try row.text()
        entityID = try row.text()
        entityName = try row.text()
        relationshipEntityType = try row.text()
        relationshipEntityID = try row.text()
        relationshipEntityName = try row.text()
        relationshipAssignedToEntityType = try row.text()
        relationshipAssignedToEntityID = try row.text()
        relationshipAssignedToEntityName = try row.text()
        extractionEvent = try row.text()
        policyTask = try row.text()
        jobID = try row.text()
        eventSource = try row.wireEnum(EventSource.self)
        eventSourceID = try row.text()
        workflowName = try row.text()
        policyName = try row.text()
    }

    public var databaseValues: [DatabaseValue] {
        [
            .text(id),
            timestamp.databaseValue,
            .text(eventType.rawValue),
            .boolean(success),
            .text(message),
            .text(identityID),
            .text(identityEntityType),
            .text(identityEntityID),
            .text(identityEntityName),
            .text(dataSourceID),
            .text(datasourceName),
            .text(providerID),
            .text(entityType),
            .text(entityID),
            .text(entityName),
            .text(relationshipEntityType),
            .text(relationshipEntityID),
            .text(relationshipEntityName),
            .text(relationshipAssignedToEntityType),
            .text(relationshipAssignedToEntityID),
            .text(relationshipAssignedToEntityName),
            .text(extractionEvent),
            .text(policyTask),
            .text(jobID),
            .text(eventSource.rawValue),
            .text(eventSourceID),
            .text(workflowName),
            .text(policyName),
        ]
    }
}
