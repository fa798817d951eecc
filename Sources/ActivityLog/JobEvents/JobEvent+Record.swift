import SCIMFilter
import WardenCore

extension JobEvent {
    public static let resource = "job_events"
    public static let noun = "job event"
    public static let operations: (list: APIOperation, get: APIOperation, export: APIOperation) = (.listJobEvents, .getJobEvent, .exportJobEvents)
    public static let table = "lcm_job_events"
    public static let columns = CodingKeys.allCases.map(\.rawValue)
    public static let keyColumns = ["job_id"]
    public static let jsonColumns: Set<String> = detailColumns
    /// The request and result payloads, which a list shows only with `details=true`.
    public static let detailColumns: Set<String> = ["job_request", "job_result"]
    public static let csvColumns: [CSVColumn] = [
        .text, .text, .text, .text, .text, .text, .text, .text, .text, .text, .text, .boolean, .integer, .text, .text, .timestamp,
        .timestamp, .timestamp, .text, .text, .text,
    ]

    public init(reading row: inout DatabaseRowReader) throws {
        jobID = try row.text()
        policyTask = try row.text()
        actionName = try row.text()
        actionType = try row.wireEnum(ActionType.self)
        state = try row.wireEnum(TaskState.self)
        policyID = try row.text()
        workflowName = try row.text()
        identityID = try row.text()
        identityName = try row.text()
        extractionEvent = try row.text()
        extractionEventType = try row.text()
        anyChanges = try row.bool()
        eventsCreated = try row.integer()
        eventSource = try row.wireEnum(EventSource.self)
        eventSourceID = try row.text()
        createdAt = try row.timestamp()
        startedAt = try row.optionalTimestamp()
        completedAt = try row.optionalTimestamp()
        receivedResponseAt = try row.text()
        jobRequest = try row.optionalText().map { try JSONText.decode(JSONValue.self, from: $0) }
        jobResult = try row.optionalText().map { try JSONText.decode(JSONValue.self, from: $0) }
    }

    public var databaseValues: [DatabaseValue] {
        [
            .text(jobID), .text(policyTask), .text(actionName), .text(actionType.rawValue), .text(state.rawValue), .text(policyID),
            .text(workflowName), .text(identityID), .text(identityName), .text(extractionEvent), .text(extractionEventType),
            .boolean(anyChanges), .integer(eventsCreated), .text(eventSource.rawValue), .text(eventSourceID), createdAt.databaseValue,
            startedAt.databaseValue, completedAt.databaseValue, .text(receivedResponseAt),
            (jobRequest?.jsonText).databaseValue, (jobResult?.jsonText).databaseValue,
        ]
    }

}
