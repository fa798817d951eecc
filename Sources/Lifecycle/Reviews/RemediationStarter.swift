import AccessReviews
import ActivityLog
import SCIMFilter
import WardenCore

/// Starts the workflow tasks of queued remediations: for each signed-off rejection of a review
/// workflow that names a remediation, a manually triggered task of that policy's workflow for the
/// row's identity, with the row's destination as `{entitlement.*}`. The claim, the tasks and the
/// rows' log entries commit together; on PostgreSQL, runners claim different remediations.
struct RemediationStarter: Sendable {
    let database: Database
    let policies: PolicyStore
    let clock: LifecycleClock

    /// Remediations started per transaction at most.
    static let batchSize = 100

    /// Starts up to `batchSize` pending remediations and answers how many it took.
    @discardableResult
    func startPending() async throws -> Int {
        let store = RemediationStore(database: database)
        guard try await store.anyPending() else { return 0 }
        return try await database.transaction { connection in
            let claimed = try await store.claim(limit: Self.batchSize, on: connection)
            let now = clock.now
            var tasks: [WorkflowTask] = []
            var runs: [TaskRun] = []
            for remediation in claimed {
                switch try await task(for: remediation, at: now, on: connection) {
                case .success(let started):
                    tasks.append(started.task)
                    runs.append(started.run)
                    try await store.started(remediation, taskID: started.task.id, policyName: started.policyName, at: now, on: connection)
                case .failure(let problem):
                    try await store.failedToStart(remediation, reason: problem.reason, at: now, on: connection)
                }
            }
            try await ActivityStore<WorkflowTask>(database: database).upsert(tasks, on: connection)
            try await TaskRunStore(database: database, clock: clock).save(runs, on: connection)
            return claimed.count
        }
    }

    struct Started {
        var task: WorkflowTask
        var run: TaskRun
        var policyName: String
    }

    struct Problem: Error {
        var reason: String
    }

    /// The task and run that remediate `remediation`, or why there can be none.
    private func task(for remediation: Remediation, at now: Timestamp, on connection: DatabaseConnection) async throws -> Result<Started, Problem> {
        guard case .string(let identityID)? = remediation.source["id"], !identityID.isEmpty else {
            return .failure(Problem(reason: "the row's source has no id naming a Warden identity"))
        }
        let policy: Policy
        do {
            policy = try await policies.policy(id: remediation.policyID, on: connection)
        } catch let error as APIError where error.code == .notFound {
            return .failure(Problem(reason: "policy \(remediation.policyID) does not exist"))
        }
        guard policy.currentVersionNumber > 0 else {
            return .failure(Problem(reason: "policy \(policy.name) has no published version"))
        }
        let version = try await policies.version(policyID: policy.id, number: policy.currentVersionNumber, on: connection)
        var select = database.statement("SELECT name, source_id, entity_id, attributes FROM lcm_identities WHERE id = ")
        select.append(bind: identityID)
        guard var reader = try await connection.first(select)?.reader() else {
            return .failure(Problem(reason: "identity \(identityID) does not exist"))
        }
        let name = try reader.text()
        let sourceID = try reader.text()
        let entityID = try reader.text()
        let identity = IdentitySnapshot(
            id: identityID, name: name, sourceID: sourceID, attributes: try WireJSON.value([String: JSONValue].self, from: try reader.text()))
        let plan: WorkflowPlan
        do {
            guard let found = try version.config.plan(workflowNamed: remediation.workflow, for: identity) else {
                return .failure(Problem(reason: "version \(version.versionNumber) of policy \(policy.name) has no workflow \"\(remediation.workflow)\""))
            }
            plan = found
        } catch {
            return .failure(Problem(reason: "policy \(policy.name) could not evaluate its conditions for \(identity.name): \(error)"))
        }
        let source = try await IdentitySourceStore(database: database).get(identity.sourceID)
        let entitlement = JSONValue.object(remediation.destination)
        let task = WorkflowTask(
            id: TimeOrderedID.make(), policyID: policy.id, policyVersionNumber: Int64(version.versionNumber), entityType: source.entityType,
            entityID: entityID, state: .initial, dryRun: policy.state == .dryRun, workflow: plan.workflow, scheduledAt: nil, extractionEvent: "",
            previousTaskID: "", identityID: identity.id, identityName: identity.name, startedAt: nil, completedAt: nil, anyChanges: false,
            highPriority: false, priority: 0, manuallyTriggered: true, manuallyTriggeredBy: Self.triggeredBy, manuallyOverrideWorkflows: true,
            identityStatus: .changed,
            reason: "REMEDIATION: result \(remediation.resultID) of certification \(remediation.certificationID) rejected \(Template.text(of: entitlement.scimMember("name") ?? entitlement))",
            messages: [], createdAt: now, updatedAt: now, runtimeChangeLimitReached: false, disregardChangeLimit: false)
        let run = TaskRun(
            taskID: task.id, dueAt: now, leaseOwner: "", leaseExpiresAt: Timestamp(nanosecondsSinceEpoch: 0),
            steps: plan.actions.map { TaskRun.Step(name: $0.name, skipped: $0.skipped, continueOnError: $0.continueOnError) },
            nextStep: 0, attempt: 0, stepStartedAt: nil, outputs: [:], changedAttributes: [], entitlement: entitlement)
        return .success(Started(task: task, run: run, policyName: policy.name))
    }

    /// Who a remediation's task is triggered by, in `manually_triggered_by`.
    static let triggeredBy = "access review remediation"
}
