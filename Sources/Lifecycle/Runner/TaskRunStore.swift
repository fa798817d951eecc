import ActivityLog
import SCIMFilter
import WardenCore

/// The runner's side of the task table: queueing, claiming with a lease, renewing and releasing.
///
/// A claim takes due tasks and pushes their due time to the lease's expiry, so a task whose
/// runner died is due again once its lease runs out. On PostgreSQL the claim skips rows another
/// runner is claiming (`FOR UPDATE SKIP LOCKED`), so several Warden processes share the work.
struct TaskRunStore: TaskQueue {
    let database: Database
    let clock: LifecycleClock

    private static let selectList = TaskRun.columns.joined(separator: ", ")

    /// Queues restarted and unblocked tasks: an unblocked task's run is due now; a restart copies
    /// the plan of the task it restarts and starts from its first action. A task the runner never
    /// planned is planned when it first runs.
    func enqueue(_ tasks: [WorkflowTask], on connection: DatabaseConnection) async throws {
        guard !tasks.isEmpty else { return }
        let now = clock.now
        var runs: [TaskRun] = []
        for task in tasks {
            if var run = try await run(taskID: task.id, on: connection) {
                run.dueAt = now
                run.leaseOwner = ""
                run.leaseExpiresAt = Timestamp(nanosecondsSinceEpoch: 0)
                runs.append(run)
            } else {
                let previous = try await run(taskID: task.previousTaskID, on: connection)
                runs.append(TaskRun(
                    taskID: task.id, dueAt: now, leaseOwner: "", leaseExpiresAt: Timestamp(nanosecondsSinceEpoch: 0), steps: previous?.steps,
                    nextStep: 0, attempt: 0, stepStartedAt: nil, outputs: [:], changedAttributes: previous?.changedAttributes ?? [],
                    entitlement: previous?.entitlement))
            }
        }
        try await save(runs, on: connection)
    }

    /// Writes runs, replacing those with the same task id.
    func save(_ runs: [TaskRun], on connection: DatabaseConnection) async throws {
        try await connection.execute(TaskRun.upsert, rows: runs.map(\.databaseValues))
    }

    func run(taskID: String, on connection: DatabaseConnection) async throws -> TaskRun? {
        var select = database.statement("SELECT \(Self.selectList) FROM \(TaskRun.table) WHERE task_id = ")
        select.append(bind: taskID)
        return try await connection.first(select).map(TaskRun.decode)
    }

    /// Up to `limit` due tasks, now held by `owner` until `leaseDuration` from now.
    func claim(owner: String, limit: Int, leaseDuration: Duration) async throws -> [TaskRun] {
        let now = clock.now
        let expiry = now.adding(leaseDuration)
        var update = database.statement("UPDATE \(TaskRun.table) SET lease_owner = ")
        update.append(bind: owner)
        update.append(", lease_expires_at = ")
        update.append(bind: expiry)
        update.append(", due_at = ")
        update.append(bind: expiry)
        update.append(" WHERE task_id IN (SELECT task_id FROM \(TaskRun.table) WHERE due_at <= ")
        update.append(bind: now)
        update.append(" ORDER BY due_at LIMIT ")
        update.append(bind: Int64(limit))
        if database.kind == .postgres { update.append(" FOR UPDATE SKIP LOCKED") }
        update.append(") RETURNING \(Self.selectList)")
        let database = database
        return try await database.transaction { [update] connection in
            let runs = try await connection.rows(update).map(TaskRun.decode)
            guard !runs.isEmpty else { return runs }
            // The activity log shows a claimed task RUNNING from the moment a runner holds it.
            var running = database.statement("UPDATE lcm_workflow_tasks SET state = 'RUNNING', scheduled_at = NULL, started_at = COALESCE(started_at, ")
            running.append(bind: now)
            running.append("), t_updated_at = ")
            running.append(bind: now)
            running.append(" WHERE state IN ('INITIAL', 'PENDING', 'SCHEDULED') AND id IN (")
            running.append(binds: runs.map { DatabaseValue.text($0.taskID) })
            running.append(")")
            try await connection.execute(running)
            return runs
        }
    }

    /// Extends `owner`'s leases on `taskIDs` to `leaseDuration` from now.
    func renew(owner: String, taskIDs: [String], leaseDuration: Duration) async throws {
        guard !taskIDs.isEmpty else { return }
        let expiry = clock.now.adding(leaseDuration)
        for chunk in taskIDs.chunks(of: 1_000) {
            var update = database.statement("UPDATE \(TaskRun.table) SET lease_expires_at = ")
            update.append(bind: expiry)
            update.append(", due_at = ")
            update.append(bind: expiry)
            update.append(" WHERE lease_owner = ")
            update.append(bind: owner)
            update.append(" AND due_at < ")
            update.append(bind: TaskRun.never)
            update.append(" AND task_id IN (")
            update.append(binds: chunk.map(DatabaseValue.text))
            update.append(")")
            try await database.transaction { [update] in try await $0.execute(update) }
        }
    }

    /// Gives back every task `owner` holds: due now, for any runner. For a runner that is stopping.
    func releaseAll(owner: String) async throws {
        var update = database.statement("UPDATE \(TaskRun.table) SET lease_owner = '', lease_expires_at = 0, due_at = ")
        update.append(bind: clock.now)
        update.append(" WHERE lease_owner = ")
        update.append(bind: owner)
        update.append(" AND due_at < ")
        update.append(bind: TaskRun.never)
        try await database.transaction { [update] in try await $0.execute(update) }
    }

    /// When the next task is due, if any is.
    func nextDue() async throws -> Timestamp? {
        guard var reader = try await database.first(database.statement("SELECT MIN(due_at) FROM \(TaskRun.table)"))?.reader() else { return nil }
        return try reader.optionalTimestamp()
    }
}
