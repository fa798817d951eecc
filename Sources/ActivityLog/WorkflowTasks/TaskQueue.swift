import WardenCore

/// Hands workflow tasks that became runnable (a restart, an unblock with RUN) to the lifecycle
/// runner, inside the transaction that changed them, so a task is never PENDING without being queued.
public protocol TaskQueue: Sendable {
    /// Queues `tasks` to run as soon as a runner is free.
    func enqueue(_ tasks: [WorkflowTask], on connection: DatabaseConnection) async throws
}
