import SCIMFilter
import WardenCore

/// A signed-off rejection handed to the lifecycle policy its review workflow names: queued in the
/// sign-off's transaction, then started as a workflow task, and settled when that task ends.
public struct Remediation: Sendable, Equatable {
    /// The queue entry's key.
    public var id: Int64
    public var certificationID: String
    public var resultID: Int64
    /// The row's source: the identity; its `id` is Warden's identity id.
    public var source: [String: JSONValue]
    /// The row's destination: the entitlement to remove, `{entitlement.*}` in the policy's templates.
    public var destination: [String: JSONValue]
    public var policyID: String
    public var workflow: String

    /// Where a remediation stands.
    public enum State: String, Sendable {
        /// Queued by the sign-off; no task yet.
        case pending = "PENDING"
        /// Its task runs, or errored and waits for a retry.
        case started = "STARTED"
        /// Its task completed: the row is FIXED.
        case fixed = "FIXED"
        /// No task could be started (the policy, workflow or identity does not exist), or its task
        /// was a dry run.
        case failed = "FAILED"
    }

    /// How a remediation's task ended.
    public enum TaskOutcome: Sendable, Equatable {
        /// It completed: the access is removed.
        case completed
        /// It errored, saying why; a retry of the task may still complete it.
        case errored(String)
        /// Its policy is in DRY_RUN: it completed without calling the target.
        case dryRun
    }
}
