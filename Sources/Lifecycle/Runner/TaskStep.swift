import ActivityLog
import WardenCore

/// What one step of a task changed, committed together: the task's row, its run, and the action
/// events, integration jobs and lifecycle events the step recorded.
struct TaskStep: Sendable {
    var task: WorkflowTask
    var run: TaskRun
    var actionEvents: [ActionEvent] = []
    var jobs: [JobEvent] = []
    var events: [LifecycleEvent] = []
}

/// Commits task steps in batches: while one batch's transaction runs, the steps of other tasks
/// gather for the next, so thousands of tasks a second cost tens of transactions, not thousands.
/// A step's `commit` returns once its batch has committed.
actor StepWriter {
    let database: Database
    private let runs: TaskRunStore
    private var pending: [(step: TaskStep, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(database: Database, clock: LifecycleClock) {
        self.database = database
        runs = TaskRunStore(database: database, clock: clock)
    }

    /// Steps written per transaction at most.
    static let batchLimit = 2_000

    func commit(_ step: TaskStep) async throws {
        try await withCheckedThrowingContinuation { done in
            pending.append((step, done))
            if !writing {
                writing = true
                Task { await self.writeAll() }
            }
        }
    }

    private func writeAll() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.batchLimit))
            pending.removeFirst(batch.count)
            do {
                try await write(batch.map(\.step))
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
        writing = false
    }

    private func write(_ steps: [TaskStep]) async throws {
        let database = database
        let runs = runs
        try await database.transaction { connection in
            try await ActivityStore<WorkflowTask>(database: database).upsert(steps.map(\.task), on: connection)
            try await ActivityStore<ActionEvent>(database: database).upsert(steps.flatMap(\.actionEvents), on: connection)
            try await ActivityStore<JobEvent>(database: database).upsert(steps.flatMap(\.jobs), on: connection)
            try await ActivityStore<LifecycleEvent>(database: database).upsert(steps.flatMap(\.events), on: connection)
            try await runs.save(steps.map(\.run), on: connection)
        }
    }
}
