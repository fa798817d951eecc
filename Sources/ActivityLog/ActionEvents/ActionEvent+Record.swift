import WardenCore

extension ActionEvent {
    public static let resource = "action_events"
    public static let noun = "action event"
    public static let operations: (list: APIOperation, get: APIOperation, export: APIOperation) = (.listActionEvents, .getActionEvent, .exportActionEvents)
    public static let table = "lcm_action_events"
    public static let columns = CodingKeys.allCases.map(\.rawValue)
    public static let keyColumns = ["policy_task", "action_name"]
    public static let csvColumns: [CSVColumn] = [.text, .text, .text, .text, .text, .integer, .text, .text, .text, .text, .boolean, .integer, .timestamp, .timestamp, .text]

    public init(reading row: inout DatabaseRowReader) throws {
        self.init(
            policyTask: try row.text(), actionName: try row.text(), actionType: try row.wireEnum(ActionType.self),
            state: try row.wireEnum(TaskState.self), policyID: try row.text(), policyVersionNumber: try row.integer(),
            workflowName: try row.text(), identityID: try row.text(), identityName: try row.text(), extractionEvent: try row.text(),
            anyChanges: try row.bool(), jobsStarted: try row.integer(), startedAt: try row.timestamp(),
            completedAt: try row.optionalTimestamp(), message: try row.text()
        )
    }

    public var databaseValues: [DatabaseValue] {
        [
            .text(policyTask), .text(actionName), .text(actionType.rawValue), .text(state.rawValue), .text(policyID),
            .integer(policyVersionNumber), .text(workflowName), .text(identityID), .text(identityName), .text(extractionEvent),
            .boolean(anyChanges), .integer(jobsStarted), startedAt.databaseValue, completedAt.databaseValue, .text(message),
        ]
    }
}
