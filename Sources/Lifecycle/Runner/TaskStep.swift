import AccessReviews
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
    /// False when the task's row says what the last step wrote (only its update time moved on).
    var writesTask = true
}

/// Sends one task's steps to the writer in order, each once the one before has committed, without
/// waiting for the last: the next action's call overlaps the commit of the one before. A failed
/// commit stops the task at the next send (its lease then runs out and it resumes from what is
/// committed), so no later step is ever committed without an earlier one.
struct StepPipeline {
    let writer: StepWriter
    /// The task's row as last written.
    var written: WorkflowTask
    private var inFlight: Task<Void, any Error>?

    init(writer: StepWriter, written: WorkflowTask) {
        self.writer = writer
        self.written = written
    }

    /// Sends `step` once the step before it has committed.
    mutating func send(_ step: TaskStep) async throws {
        try await drain()
        var step = step
        if step.task.isRecorded(as: written) {
            step.writesTask = false
        } else {
            written = step.task
        }
        inFlight = Task { [writer, step] in try await writer.commit(step) }
    }

    /// Sends `step` and waits until it has committed.
    mutating func finish(_ step: TaskStep) async throws {
        try await send(step)
        try await drain()
    }

    /// Waits until the step sent last has committed.
    mutating func drain() async throws {
        let last = inFlight
        inFlight = nil
        try await last?.value
    }
}

extension WorkflowTask {
    /// Whether `other` shows the same as this task in the log but for its update time.
    func isRecorded(as other: WorkflowTask) -> Bool {
        state == other.state && anyChanges == other.anyChanges && startedAt == other.startedAt && completedAt == other.completedAt
            && scheduledAt == other.scheduledAt && messages == other.messages
    }
}

/// Commits task steps in batches: while one batch's transaction runs, the steps of other tasks
/// gather for the next, so thousands of tasks a second cost tens of transactions, not thousands.
/// A step's `commit` returns once its batch has committed.
actor StepWriter {
    let database: Database
    private let runs: TaskRunStore
    private let clock: LifecycleClock
    private var pending: [(step: TaskStep, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(database: Database, clock: LifecycleClock) {
        self.database = database
        runs = TaskRunStore(database: database, clock: clock)
        self.clock = clock
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

    /// Commits a run alone, for a task whose row does not change.
    func commitRun(_ run: TaskRun) async throws {
        let runs = runs
        try await database.transaction { try await runs.save([run], on: $0) }
    }

    private func write(_ steps: [TaskStep]) async throws {
        let database = database
        let runs = runs
        try await database.transaction { connection in
            try await ActivityStore<WorkflowTask>(database: database).upsert(steps.filter(\.writesTask).map(\.task), on: connection)
            try await ActivityStore<ActionEvent>(database: database).upsert(steps.flatMap(\.actionEvents), on: connection)
            try await ActivityStore<JobEvent>(database: database).upsert(steps.flatMap(\.jobs), on: connection)
            try await ActivityStore<LifecycleEvent>(database: database).upsert(steps.flatMap(\.events), on: connection)
            try await runs.save(steps.map(\.run), on: connection)
            try await settleRemediations(steps, on: connection)
        }
    }

    /// Settles the remediations of the steps' remediation tasks that ended, in their commit.
    private func settleRemediations(_ steps: [TaskStep], on connection: DatabaseConnection) async throws {
        let ended = steps.map(\.task).filter { task in
            task.manuallyTriggered && task.manuallyTriggeredBy == RemediationStarter.triggeredBy && (task.state == .completed || task.state == .errored)
        }
        guard !ended.isEmpty else { return }
        try await RemediationStore(database: database).settle(
            endedTasks: ended.map { task in
                let outcome: Remediation.TaskOutcome = task.state == .errored ? .errored(task.messages.last ?? "") : task.dryRun ? .dryRun : .completed
                return (task.id, outcome)
            }, at: clock.now, on: connection)
    }
}
