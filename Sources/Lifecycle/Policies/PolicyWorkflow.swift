import ActivityLog
import SCIMFilter

/// One workflow of a policy version: what triggers it and the conditions that pick its actions.
public struct PolicyWorkflow: Sendable {
    public var name: String
    public var description: String
    public var enabled: Bool
    /// The identity changes it reacts to.
    public var changes: Set<IdentityChangeKind>
    /// For CHANGED: react only when one of these attributes changed; empty for any change.
    public var attributes: Set<String>
    /// The identities it applies to; nil for all.
    public var filter: FilterExpression?
    /// Evaluated in order, depth first, once the workflow is triggered.
    public var conditions: [PolicyCondition]
}

/// A condition on a workflow's success path: when true, its actions run in order, then its nested
/// conditions are evaluated.
public struct PolicyCondition: Sendable {
    public var name: String
    /// Nil for `ANY` (always true).
    public var filter: FilterExpression?
    public var actionsToRun: [String]
    /// Whether the actions it runs go on after one of them fails.
    public var continueActionsIfAnyError: Bool
    public var enabled: Bool
    public var conditions: [PolicyCondition]
}

/// An action defined once in a version and run by name from conditions.
public struct PolicyAction: Sendable {
    public var name: String
    public var description: String
    public var type: ActionType
    public var settings: ActionSettings
    /// When it is false for the identity, the action is skipped (still listed); nil for always.
    public var condition: FilterExpression?
    public var continueOnError: Bool
    public var enabled: Bool
}
