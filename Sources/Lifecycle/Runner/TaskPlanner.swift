import ActivityLog
import Foundation
import SCIMFilter
import WardenCore

/// Creates the workflow tasks an applied extraction's changes trigger, in the import's
/// transaction: for each change, each RUNNING or DRY_RUN policy of the source, each workflow its
/// live version triggers. A policy whose tasks for this extraction pass its safety limit gets all
/// of them BLOCKED instead, until `workflow_tasks:unblock` runs or abandons them.
struct TaskPlanner: Sendable {
    let database: Database
    let policies: PolicyStore
    let clock: LifecycleClock

    /// Changes read per statement.
    static let batchSize = 5_000

    func plan(_ event: ExtractionEvent, on connection: DatabaseConnection) async throws -> PlannedTasks {
        let live = try await policies.policies(sourceID: event.sourceID).compactMap { policy -> (Policy, PolicyVersion)? in
            guard policy.state == .running || policy.state == .dryRun, let version = policy.currentVersion else { return nil }
            return (policy, version)
        }
        guard !live.isEmpty else { return PlannedTasks() }
        let source = try await IdentitySourceStore(database: database).get(event.sourceID)
        let now = clock.now
        let runs = TaskRunStore(database: database, clock: clock)
        var created: [String: Int64] = [:]
        var problems: [String: (count: Int, first: String)] = [:]
        var after: Int64 = 0
        while true {
            var select = database.statement("""
                SELECT c.seq, c.identity_id, c.kind, c.changes, i.entity_id, i.name, i.attributes
                FROM lcm_identity_changes c JOIN lcm_identities i ON i.id = c.identity_id WHERE c.extraction_event = 
                """)
            select.append(bind: event.id)
            select.append(" AND c.seq > ")
            select.append(bind: after)
            select.append(" ORDER BY c.seq LIMIT ")
            select.append(bind: Int64(Self.batchSize))
            let rows = try await connection.rows(select)
            guard !rows.isEmpty else { break }
            var tasks: [WorkflowTask] = []
            var taskRuns: [TaskRun] = []
            for row in rows {
                var reader = row.reader()
                after = try reader.integer()
                let identityID = try reader.text()
                let kind = IdentityChangeKind(rawValue: try reader.text()) ?? .changed
                let changed = try WireJSON.value([String: IdentityChange.AttributeChange].self, from: try reader.text())
                let entityID = try reader.text()
                let name = try reader.text()
                let identity = IdentitySnapshot(
                    id: identityID, name: name, sourceID: source.id, attributes: try WireJSON.value([String: JSONValue].self, from: try reader.text()))
                let changedNames = Set(changed.keys)
                for (policy, version) in live {
                    let plans: [WorkflowPlan]
                    do {
                        plans = try version.config.plan(for: identity, change: kind, changedAttributes: changedNames)
                    } catch {
                        // Recorded on the extraction event, not dropped: the policy could not decide.
                        problems[policy.name, default: (0, "\(identity.name): \(error)")].count += 1
                        plans = []
                    }
                    for plan in plans {
                        let task = WorkflowTask(
                            id: TimeOrderedID.make(), policyID: policy.id, policyVersionNumber: Int64(version.versionNumber),
                            entityType: source.entityType, entityID: entityID, state: .initial, dryRun: policy.state == .dryRun,
                            workflow: plan.workflow, scheduledAt: nil, extractionEvent: event.id, previousTaskID: "", identityID: identityID,
                            identityName: name, startedAt: nil, completedAt: nil, anyChanges: false, highPriority: false, priority: 0,
                            manuallyTriggered: false, manuallyTriggeredBy: "", manuallyOverrideWorkflows: false,
                            identityStatus: Self.status(of: kind), reason: Self.reason(kind, changedNames), messages: [], createdAt: now,
                            updatedAt: now, runtimeChangeLimitReached: false, disregardChangeLimit: false)
                        tasks.append(task)
                        taskRuns.append(TaskRun(
                            taskID: task.id, dueAt: now, leaseOwner: "", leaseExpiresAt: Timestamp(nanosecondsSinceEpoch: 0),
                            steps: plan.actions.map { TaskRun.Step(name: $0.name, skipped: $0.skipped, continueOnError: $0.continueOnError) },
                            nextStep: 0, attempt: 0, stepStartedAt: nil, outputs: [:], changedAttributes: changedNames.sorted()))
                        created[policy.id, default: 0] += 1
                    }
                }
            }
            try await ActivityStore<WorkflowTask>(database: database).upsert(tasks, on: connection)
            try await runs.save(taskRuns, on: connection)
        }
        let blocked = try await blockOverLimits(event, live.map(\.0), created: created, on: connection)
        return PlannedTasks(
            created: created.values.reduce(0, +), blocked: blocked,
            problems: problems.sorted { $0.key < $1.key }.map { policy, problem in
                "policy \"\(policy)\" could not evaluate \(problem.count) identit\(problem.count == 1 ? "y" : "ies"), so started nothing for them (first: \(problem.first))"
            })
    }

    /// Blocks every task of this extraction of each policy whose count passes its safety limit.
    private func blockOverLimits(_ event: ExtractionEvent, _ policies: [Policy], created: [String: Int64], on connection: DatabaseConnection) async throws -> Int64 {
        var activeBefore: Int64?
        var blocked: Int64 = 0
        for policy in policies {
            let count = created[policy.id] ?? 0
            let limits = policy.safetyLimitSettings
            guard count > 0, limits.maxChangesAbsolute > 0 || limits.maxChangesPercent > 0 else { continue }
            if activeBefore == nil {
                var select = database.statement("SELECT COUNT(*) FROM lcm_identities WHERE active AND source_id = ")
                select.append(bind: event.sourceID)
                var reader = try await connection.first(select)?.reader()
                activeBefore = (try reader?.integer() ?? 0) - event.joined + event.left
            }
            var reasons: [String] = []
            if limits.maxChangesAbsolute > 0, count > Int64(limits.maxChangesAbsolute) {
                reasons.append("more than max_changes_absolute (\(limits.maxChangesAbsolute))")
            }
            let percentLimit = (activeBefore ?? 0) * Int64(limits.maxChangesPercent) / 100
            if limits.maxChangesPercent > 0, count > percentLimit {
                reasons.append("more than max_changes_percent (\(limits.maxChangesPercent)% of \(activeBefore ?? 0) identities, \(percentLimit))")
            }
            guard !reasons.isEmpty else { continue }
            let message = "Blocked by the safety limit of policy \"\(policy.name)\": extraction \(event.id) would start \(count) tasks, "
                + "\(reasons.joined(separator: " and ")). Run them or abandon them with workflow_tasks:unblock."
            var blockTasks = database.statement("UPDATE lcm_workflow_tasks SET state = 'BLOCKED', runtime_change_limit_reached = TRUE, messages = ")
            blockTasks.append(bind: JSONValue.array([.string(message)]).jsonText)
            blockTasks.append(" WHERE extraction_event = ")
            blockTasks.append(bind: event.id)
            blockTasks.append(" AND policy_id = ")
            blockTasks.append(bind: policy.id)
            try await connection.execute(blockTasks)
            var holdRuns = database.statement("UPDATE lcm_task_runs SET due_at = ")
            holdRuns.append(bind: TaskRun.never)
            holdRuns.append(" WHERE task_id IN (SELECT id FROM lcm_workflow_tasks WHERE extraction_event = ")
            holdRuns.append(bind: event.id)
            holdRuns.append(" AND policy_id = ")
            holdRuns.append(bind: policy.id)
            holdRuns.append(")")
            try await connection.execute(holdRuns)
            blocked += count
        }
        return blocked
    }

    static func status(of kind: IdentityChangeKind) -> IdentityStatus {
        switch kind {
        case .joined: .new
        case .changed: .changed
        case .left: .deleted
        }
    }

    static func reason(_ kind: IdentityChangeKind, _ changed: Set<String>) -> String {
        kind == .changed ? "CHANGED: \(changed.sorted().joined(separator: ", "))" : kind.rawValue
    }
}
