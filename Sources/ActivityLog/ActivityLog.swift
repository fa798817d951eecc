import Hummingbird
import WardenCore

/// The lifecycle activity log: workflow tasks, action events, integration jobs and lifecycle events.
public enum ActivityLog {
    /// The activity log's schema, in order.
    public static let migrations: [Migration] =
        ActionEvent.migrations + WorkflowTask.migrations + JobEvent.migrations + LifecycleEvent.migrations

    /// The kinds of the activity log's export jobs.
    public static let exportKinds: Set<String> = [WorkflowTask.resource, ActionEvent.resource, JobEvent.resource, LifecycleEvent.resource]

    /// Adds every activity log route: list, get and export of all four, plus restart and unblock of
    /// tasks, which hand the tasks to run to `queue`.
    public static func addRoutes(
        to api: RouterGroup<WardenRequestContext>, database: Database, signer: PageTokenSigner, exports: ExportJobs, queue: any TaskQueue
    ) {
        WorkflowTaskRoutes(database: database, signer: signer, exports: exports, queue: queue).add(to: api)
        ActivityRoutes<ActionEvent>(database: database, signer: signer, exports: exports).add(to: api, keyParameters: ["workflow_task", "action_name"])
        JobEventRoutes(database: database, signer: signer, exports: exports).add(to: api)
        ActivityRoutes<LifecycleEvent>(database: database, signer: signer, exports: exports).add(to: api, keyParameters: ["id"])
    }
}
