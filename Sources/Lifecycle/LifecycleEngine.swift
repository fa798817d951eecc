import ActivityLog
import Hummingbird
import Logging
import NIOCore
import SCIMFilter
import WardenCore

/// One process's lifecycle engine: what its routes and its runner share.
public struct LifecycleEngine: Sendable {
    public let database: Database
    public let connectors: ConnectorStore
    public let settings: RunnerSettings
    let clock: LifecycleClock
    let environment: any PolicyEnvironment
    let runs: TaskRunStore
    let logger: Logger

    /// `policyEnvironment`, when given, replaces the database's sources, identities and connectors
    /// in what policies are checked against (for tests of policies alone).
    public init(
        database: Database, connectors: ConnectorStore, settings: RunnerSettings = RunnerSettings(), clock: LifecycleClock = .system,
        policyEnvironment: (any PolicyEnvironment)? = nil, logger: Logger
    ) {
        self.database = database
        self.connectors = connectors
        self.settings = settings
        self.clock = clock
        environment = policyEnvironment ?? DatabasePolicyEnvironment(database: database, connectors: connectors)
        runs = TaskRunStore(database: database, clock: clock)
        self.logger = logger
    }

    /// The policies, their versions and states.
    public var policies: PolicyStore { PolicyStore(database: database, environment: environment) }

    /// What queues restarted and unblocked tasks for the runner.
    public var taskQueue: any TaskQueue { runs }

    /// Runs one ERRORED action of a task again, as `action_events/{task}/{action}:retry` does.
    public func retryAction(taskID: String, actionName: String, by caller: String) async throws -> WorkflowTask {
        try await runs.retry(taskID: taskID, actionName: actionName, by: caller)
    }

    /// The access profiles MANAGE_RELATIONSHIPS grants and revokes.
    public var accessProfiles: AccessProfileStore { AccessProfileStore(database: database, connectors: connectors) }

    var planner: TaskPlanner { TaskPlanner(database: database, policies: policies, clock: clock) }

    /// Imports `body` into `source` (an extraction event) and creates the tasks its changes
    /// trigger, as `identity_sources/{id}/identities:import` does.
    public func importIdentities<Body: AsyncSequence>(
        into source: IdentitySource, mode: ExtractionEvent.Mode, contentType: String?, body: Body, by actor: String
    ) async throws -> ExtractionEvent where Body.Element == ByteBuffer {
        try await IdentityImporter(database: database, clock: clock).run(
            source: source, mode: mode, contentType: contentType, body: body, by: actor, afterApplying: planner.plan)
    }

    /// Marks FAILED the imports a stopped server left RUNNING; call once at start-up.
    public func recoverInterruptedImports() async throws {
        try await IdentityImporter(database: database, clock: clock).recoverInterrupted()
    }

    /// Adds every lifecycle route beside the activity log's.
    public func addRoutes(to api: RouterGroup<WardenRequestContext>, signer: PageTokenSigner) {
        IdentityRoutes(database: database, signer: signer, clock: clock, plan: planner.plan).add(to: api)
        PolicyRoutes(database: database, environment: environment).add(to: api)
        ConnectorRoutes(store: connectors).add(to: api)
        AccessProfileRoutes(store: accessProfiles).add(to: api)
        RunnerRoutes(runs: runs).add(to: api)
    }

    /// Adds the SCIM 2.0 service provider's routes to `scim`, the authenticated group at `/scim/v2`.
    public func addSCIMRoutes(to scim: RouterGroup<WardenRequestContext>) {
        SCIMRoutes(provider: SCIMServiceProvider(database: database, clock: clock, plan: planner.plan)).add(to: scim)
    }

    /// Stores `users` (SCIM User bodies, as `POST /scim/v2/Users` takes them) in `source` as one
    /// push through the SCIM service provider, planning the tasks their joining triggers: a bulk load
    /// for benchmarks and demos.
    public func pushSCIMUsers(_ users: [JSONValue], into source: IdentitySource, by actor: String) async throws {
        try await SCIMServiceProvider(database: database, clock: clock, plan: planner.plan).createUsers(users, source: source, by: actor)
    }

    /// The runner: a service that works due tasks until the process stops.
    public func runner() -> LifecycleRunner {
        let http = HTTPPerformer(clock: clock)
        let scim = SCIMPerformer(http: http, profiles: accessProfiles, clock: clock)
        let identities = IdentityStore(database: database)
        let executor = TaskExecutor(
            clock: clock, settings: settings, writer: StepWriter(database: database, clock: clock), policies: PolicyCache(store: policies),
            identities: identities, tasks: ActivityStore<WorkflowTask>(database: database), connectors: connectors,
            http: http, smtp: SMTPClient(clock: clock), scim: scim,
            reviews: AccessReviewPerformer(scim: scim, database: database, identities: identities, clock: clock), secrets: TaskSecrets(),
            logger: logger)
        return LifecycleRunner(
            database: database, clock: clock, settings: settings, executor: executor,
            remediations: RemediationStarter(database: database, policies: policies, clock: clock), logger: logger
        ) {
            try? await http.shutdown()
        }
    }
}
