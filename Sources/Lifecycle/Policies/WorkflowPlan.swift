import ActivityLog

/// What one triggered workflow does for one identity change: its actions in the order they run.
public struct WorkflowPlan: Sendable {
    public var workflow: String
    public var actions: [PlannedAction]
}

/// One action of a workflow plan, with its settings still templates: the runner renders them when
/// the action runs, with the outputs of the actions before it.
public struct PlannedAction: Sendable {
    public var name: String
    public var type: ActionType
    public var settings: ActionSettings
    /// Whether to go on with the next actions when this one fails: the action's own
    /// `continue_on_error`, or its condition's `continue_actions_if_any_error`.
    public var continueOnError: Bool
    /// True when the action is disabled or its own condition is false for the identity: it is listed
    /// (and recorded as SKIPPED) but not performed.
    public var skipped: Bool
}
