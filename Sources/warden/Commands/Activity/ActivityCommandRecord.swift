import ActivityLog

/// An activity log record as the CLI shows it: its command, get arguments and table columns.
protocol ActivityCommandRecord: ActivityRecord {
    /// The command's name, e.g. `events`.
    static var commandName: String { get }
    /// What `get` takes, in `keyColumns` order, e.g. `["workflow task id", "action name"]`.
    static var keyArguments: [String] { get }
    static var tableHeader: [String] { get }
    var tableRow: [String] { get }
    /// Extra query parameters `list` sends, so its records are as whole as an export's.
    static var listQuery: [(String, String)] { get }
}

extension ActivityCommandRecord {
    static var listQuery: [(String, String)] { [] }
}

extension ActionEvent: ActivityCommandRecord {
    static let commandName = "events"
    static let keyArguments = ["TASK (the workflow task id)", "ACTION (the action name; spaces allowed)"]
    static let tableHeader = ["STARTED", "STATE", "TYPE", "WORKFLOW", "IDENTITY", "ACTION", "MESSAGE"]
    var tableRow: [String] {
        [startedAt.rfc3339, state.rawValue, actionType.rawValue, workflowName, identityName, actionName, String(message.prefix(60))]
    }
}

extension WorkflowTask: ActivityCommandRecord {
    static let commandName = "tasks"
    static let keyArguments = ["ID (the workflow task id)"]
    static let tableHeader = ["CREATED", "ID", "STATE", "WORKFLOW", "IDENTITY", "MESSAGE"]
    var tableRow: [String] {
        [createdAt.rfc3339, id, state.rawValue, workflow, identityName, String((messages.last ?? "").prefix(60))]
    }
}

extension JobEvent: ActivityCommandRecord {
    static let commandName = "jobs"
    static let listQuery = [("details", "true")]
    static let keyArguments = ["JOB_ID"]
    static let tableHeader = ["CREATED", "JOB", "STATE", "TYPE", "ACTION", "IDENTITY"]
    var tableRow: [String] {
        [createdAt.rfc3339, jobID, state.rawValue, actionType.rawValue, actionName, identityName]
    }
}

extension LifecycleEvent: ActivityCommandRecord {
    static let commandName = "lifecycle-events"
    static let keyArguments = ["ID (the event id)"]
    static let tableHeader = ["TIME", "TYPE", "SUCCESS", "IDENTITY", "ENTITY", "MESSAGE"]
    var tableRow: [String] {
        [timestamp.rfc3339, eventType.rawValue, String(success), identityEntityName, entityName, String(message.prefix(60))]
    }
}
