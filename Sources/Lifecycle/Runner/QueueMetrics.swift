import ActivityLog
import Metrics
import SCIMFilter
import WardenCore

/// The runner's gauges on `/metrics`: tasks due now (the queue's depth), tasks waiting for a later
/// time (retries, pauses; not those a runner holds), tasks this process is running, and workflow tasks by state.
struct QueueMetrics: Sendable {
    let database: Database
    let clock: LifecycleClock

    static let dueLabel = "warden_lifecycle_tasks_due"
    static let waitingLabel = "warden_lifecycle_tasks_waiting"
    static let runningLabel = "warden_lifecycle_tasks_running_here"
    static let stateLabel = "warden_lifecycle_workflow_tasks"

    /// Reads the counts and sets the gauges; `runningHere` is this process's tasks in flight.
    func update(runningHere: Int) async throws {
        let now = clock.now
        var counts = database.statement("SELECT COUNT(CASE WHEN due_at <= ")
        counts.append(bind: now)
        counts.append(" THEN 1 END), COUNT(CASE WHEN due_at > ")
        counts.append(bind: now)
        counts.append(" AND lease_owner = '' THEN 1 END) FROM lcm_task_runs WHERE due_at < ")
        counts.append(bind: TaskRun.never)
        let byState = database.statement("SELECT state, COUNT(*) FROM lcm_workflow_tasks GROUP BY state")
        let (queue, states) = try await database.read { [counts, byState] connection in
            (try await connection.first(counts), try await connection.rows(byState))
        }
        if var reader = queue?.reader() {
            Gauge(label: Self.dueLabel).record(try reader.integer())
            Gauge(label: Self.waitingLabel).record(try reader.integer())
        }
        Gauge(label: Self.runningLabel).record(runningHere)
        var seen: Set<String> = []
        for row in states {
            var reader = row.reader()
            let state = try reader.text()
            seen.insert(state)
            Gauge(label: Self.stateLabel, dimensions: [("state", state)]).record(try reader.integer())
        }
        for state in TaskState.allCases where !seen.contains(state.rawValue) {
            Gauge(label: Self.stateLabel, dimensions: [("state", state.rawValue)]).record(0)
        }
    }
}
