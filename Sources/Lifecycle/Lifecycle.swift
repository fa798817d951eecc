import ActivityLog
import Hummingbird
import WardenCore

/// Lifecycle management: identity sources and their identities, policies with versions, the
/// connectors actions call, and the runner that works workflow tasks through their actions,
/// recording every step in the activity log.
public enum Lifecycle {
    /// The lifecycle engine's schema, in order.
    public static let migrations: [Migration] = Identity.migrations + Policy.migrations + TaskRun.migrations

    /// What queues restarted and unblocked tasks for the runner.
    public static func taskQueue(database: Database) -> any TaskQueue {
        TaskRunStore(database: database, clock: .system)
    }

    /// Adds every lifecycle route beside the activity log's. Policies validate against the
    /// database's sources, identities and connectors, or against `policyEnvironment` when given.
    public static func addRoutes(
        to api: RouterGroup<WardenRequestContext>, database: Database, signer: PageTokenSigner, policyEnvironment: (any PolicyEnvironment)? = nil
    ) {
        let environment = policyEnvironment ?? DatabasePolicyEnvironment(database: database)
        let planner = TaskPlanner(database: database, policies: PolicyStore(database: database, environment: environment), clock: .system)
        IdentityRoutes(database: database, signer: signer, plan: planner.plan).add(to: api)
        PolicyRoutes(database: database, environment: environment).add(to: api)
        RunnerRoutes(runs: TaskRunStore(database: database, clock: .system)).add(to: api)
    }
}
