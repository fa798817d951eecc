import ActivityLog
import Hummingbird
import WardenCore

/// Lifecycle management: identity sources and their identities, policies with versions, the
/// connectors actions call, and the runner that works workflow tasks through their actions,
/// recording every step in the activity log.
public enum Lifecycle {
    /// The lifecycle engine's schema, in order.
    public static let migrations: [Migration] = Identity.migrations + TaskRun.migrations

    /// What queues restarted and unblocked tasks for the runner.
    public static func taskQueue(database: Database) -> any TaskQueue {
        TaskRunStore(database: database, clock: .system)
    }

    /// Adds every lifecycle route beside the activity log's.
    public static func addRoutes(to api: RouterGroup<WardenRequestContext>, database: Database, signer: PageTokenSigner) {
        IdentityRoutes(database: database, signer: signer, plan: { _, _ in (0, 0) }).add(to: api)
    }
}
