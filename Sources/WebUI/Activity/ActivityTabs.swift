import ActivityLog
import WardenCore

/// The Activity Log's four tabs, in the order the page shows them.
enum ActivityTabs {
    static let states = TaskState.allCases.map(\.rawValue)
    static let stateFilter = QuickFilter(parameter: "state", label: "State", field: "state", options: states)
    static let actionTypeFilter = QuickFilter(parameter: "type", label: "Type", field: "action_type", options: ActionType.allCases.map(\.rawValue))

    static let events = ActivityTab<LifecycleEvent>(
        title: "Events",
        columns: [
            ActivityColumn("Time", sort: "timestamp") { .time($0.timestamp) },
            ActivityColumn("Type", sort: "event_type") { .text($0.eventType.rawValue) },
            ActivityColumn("Result", sort: "success") { .state($0.success ? "COMPLETED" : "ERRORED") },
            ActivityColumn("Identity", sort: "identity_entity_name") { .text($0.identityEntityName) },
            ActivityColumn("Entity", sort: "entity_name") { .text($0.entityName) },
            ActivityColumn("Message") { .text($0.message) },
        ],
        quickFilters: [QuickFilter(parameter: "type", label: "Type", field: "event_type", options: LifecycleEventType.allCases.map(\.rawValue))],
        link: { "/ui/events/\(path($0.id))" })

    static let jobs = ActivityTab<JobEvent>(
        title: "Jobs",
        columns: [
            ActivityColumn("Created", sort: "created_at") { .time($0.createdAt) },
            ActivityColumn("Job", sort: "job_id") { .text($0.jobID) },
            ActivityColumn("Action", sort: "action_name") { .text($0.actionName) },
            ActivityColumn("Type", sort: "action_type") { .text($0.actionType.rawValue) },
            ActivityColumn("State", sort: "state") { .state($0.state.rawValue) },
            ActivityColumn("Identity", sort: "identity_name") { .text($0.identityName) },
            ActivityColumn("Completed", sort: "completed_at") { .time($0.completedAt) },
        ],
        quickFilters: [stateFilter, actionTypeFilter],
        link: { "/ui/job_events/\(path($0.jobID))" })

    static let actions = ActivityTab<ActionEvent>(
        title: "Workflow Actions",
        columns: [
            ActivityColumn("Started", sort: "started_at") { .time($0.startedAt) },
            ActivityColumn("Action", sort: "action_name") { .text($0.actionName) },
            ActivityColumn("Type", sort: "action_type") { .text($0.actionType.rawValue) },
            ActivityColumn("State", sort: "state") { .state($0.state.rawValue) },
            ActivityColumn("Identity", sort: "identity_name") { .text($0.identityName) },
            ActivityColumn("Workflow", sort: "workflow_name") { .text($0.workflowName) },
            ActivityColumn("Message") { .text($0.message) },
        ],
        quickFilters: [stateFilter, actionTypeFilter],
        link: { "/ui/action_events/\(path($0.policyTask))/\(path($0.actionName))" })

    static let tasks = ActivityTab<WorkflowTask>(
        title: "Workflow Tasks",
        columns: [
            ActivityColumn("Created", sort: "t_created_at") { .time($0.createdAt) },
            ActivityColumn("Identity", sort: "identity_name") { .text($0.identityName) },
            ActivityColumn("Workflow", sort: "workflow") { .text($0.workflow) },
            ActivityColumn("State", sort: "state") { .state($0.state.rawValue) },
            ActivityColumn("Policy", sort: "policy_id") { .text($0.policyID) },
            ActivityColumn("Completed", sort: "completed_at") { .time($0.completedAt) },
        ],
        quickFilters: [stateFilter],
        link: { "/ui/workflow_tasks/\(path($0.id))" })

    /// One path segment, escaped.
    static func path(_ segment: String) -> String {
        FormFields.encode(segment)
    }
}
