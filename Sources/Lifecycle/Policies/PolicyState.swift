import WardenCore

/// Whether a policy acts on identity changes (Veza's policy states).
public enum PolicyState: String, WireEnum {
    /// Newly created, not yet active.
    case initial = "INITIAL"
    /// Changes of its sources' identities trigger its live version's workflows.
    case running = "RUNNING"
    /// Nothing is triggered until it is resumed.
    case paused = "PAUSED"
    /// Workflows are evaluated and recorded but no action calls a target.
    case dryRun = "DRY_RUN"
    /// Held, e.g. by a safety limit, until an operator decides.
    case pending = "PENDING"

    /// Whether the state needs a live (published) version to act on.
    var needsLiveVersion: Bool { self == .running || self == .dryRun }
}

/// Where a version is in its life: edited, live, or historical.
public enum PolicyVersionState: String, WireEnum {
    /// Being edited; at most one per policy.
    case draft = "DRAFT"
    /// The live version; at most one per policy.
    case published = "PUBLISHED"
    /// A former live version, kept for the tasks that started on it.
    case retired = "RETIRED"
}

/// Whether a workflow, condition or action takes part (Veza's `ENABLED`/`DISABLED`).
public enum ComponentState: String, WireEnum {
    case enabled = "ENABLED"
    case disabled = "DISABLED"
}

/// How a condition decides: always, or by its filter.
public enum ConditionType: String, WireEnum {
    /// Always true.
    case any = "ANY"
    /// True when the identity matches `condition_string`.
    case conditionString = "CONDITION_STRING"
}
