import WardenCore

extension WorkflowTask {
    public static let resource = "workflow_tasks"
    public static let noun = "workflow task"
    public static let operations: (list: APIOperation, get: APIOperation, export: APIOperation) = (.listWorkflowTasks, .getWorkflowTask, .exportWorkflowTasks)
    public static let table = "lcm_workflow_tasks"
    public static let columns = CodingKeys.allCases.map(\.rawValue)
    public static let keyColumns = ["id"]
    public static let jsonColumns: Set<String> = ["messages"]
    public static let csvColumns: [CSVColumn] = [
        .text, .text, .integer, .text, .text, .text, .boolean, .text, .timestamp, .text, .text, .text, .text, .timestamp, .timestamp,
        .boolean, .boolean, .integer, .boolean, .text, .boolean, .text, .text, .text, .timestamp, .timestamp, .boolean, .boolean,
    ]

    public init(reading row: inout DatabaseRowReader) throws {
        id = try row.text()
        policyID = try row.text()
        policyVersionNumber = try row.integer()
        entityType = try row.text()
        entityID = try row.text()
        state = try row.wireEnum(TaskState.self)
        dryRun = try row.bool()
        workflow = try row.text()
        scheduledAt = try row.optionalTimestamp()
        extractionEvent = try row.text()
        previousTaskID = try row.text()
        identityID = try row.text()
        identityName = try row.text()
        startedAt = try row.optionalTimestamp()
        completedAt = try row.optionalTimestamp()
        anyChanges = try row.bool()
        highPriority = try row.bool()
        priority = try row.integer()
        manuallyTriggered = try row.bool()
        manuallyTriggeredBy = try row.text()
        manuallyOverrideWorkflows = try row.bool()
        identityStatus = try row.wireEnum(IdentityStatus.self)
        reason = try row.text()
        messages = try JSONText.decode([String].self, from: try row.text())
        createdAt = try row.timestamp()
        updatedAt = try row.timestamp()
        runtimeChangeLimitReached = try row.bool()
        disregardChangeLimit = try row.bool()
    }

    public var databaseValues: [DatabaseValue] {
        [
            .text(id), .text(policyID), .integer(policyVersionNumber), .text(entityType), .text(entityID), .text(state.rawValue),
            .boolean(dryRun), .text(workflow), scheduledAt.databaseValue, .text(extractionEvent), .text(previousTaskID),
            .text(identityID), .text(identityName), startedAt.databaseValue, completedAt.databaseValue, .boolean(anyChanges),
            .boolean(highPriority), .integer(priority), .boolean(manuallyTriggered), .text(manuallyTriggeredBy),
            .boolean(manuallyOverrideWorkflows), .text(identityStatus.rawValue), .text(reason), .text(JSONText.encode(messages)),
            createdAt.databaseValue, updatedAt.databaseValue, .boolean(runtimeChangeLimitReached), .boolean(disregardChangeLimit),
        ]
    }

}
