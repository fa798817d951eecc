import WardenCore

/// The state of a workflow task, and of each action event within it.
public enum TaskState: String, WireEnum {
    case initial = "INITIAL"
    case running = "RUNNING"
    case completed = "COMPLETED"
    case errored = "ERRORED"
    case skipped = "SKIPPED"
    case scheduled = "SCHEDULED"
    case pending = "PENDING"
    case blocked = "BLOCKED"
    case abandoned = "ABANDONED"
}
