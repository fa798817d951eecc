import WardenCore

/// Writes a demo activity log through the same store API the lifecycle runner uses.
public struct ActivityLogDemo: Sendable {
    let tasks: ActivityStore<WorkflowTask>
    let actions: ActivityStore<ActionEvent>
    let jobs: ActivityStore<JobEvent>
    let events: ActivityStore<LifecycleEvent>
    let database: Database

    public init(database: Database) {
        self.database = database
        tasks = ActivityStore(database: database)
        actions = ActivityStore(database: database)
        jobs = ActivityStore(database: database)
        events = ActivityStore(database: database)
    }

    /// What a seed wrote.
    public struct Counts: Sendable, Equatable {
        public var tasks = 0
        public var actionEvents = 0
        public var jobs = 0
        public var events = 0

        public init() {}

        /// Rows written in all four tables.
        public var rows: Int { tasks + actionEvents + jobs + events }
    }

    /// Action events per write transaction.
    public static let batchSize = 10_000

    /// One transaction's worth of generated records.
    private struct Batch: Sendable {
        var tasks: [WorkflowTask] = []
        var actions: [ActionEvent] = []
        var jobs: [JobEvent] = []
        var events: [LifecycleEvent] = []
    }

    /// Writes whole tasks from `seed` until about `actionEvents` action events exist, a batch per
    /// transaction; the next batch is generated while the current one is written. `progress` is
    /// told the running count of action events after each batch commits.
    @discardableResult
    public func seed(actionEvents target: Int, seed: UInt64, progress: (Int) -> Void = { _ in }) async throws -> Counts {
        var generator = DemoActivityGenerator(seed: seed)
        var generated = 0
        var counts = Counts()
        var writing: Task<Batch, any Error>?
        while generated < target || writing != nil {
            var next: Batch?
            if generated < target {
                var batch = Batch()
                batch.actions.reserveCapacity(Self.batchSize)
                while batch.actions.count < Self.batchSize, generated + batch.actions.count < target {
                    let task = generator.nextTask()
                    batch.tasks.append(task.task)
                    batch.actions += task.actions
                    batch.jobs += task.jobs
                    batch.events += task.events
                }
                generated += batch.actions.count
                next = batch
            }
            if let written = try await writing?.value {
                counts.tasks += written.tasks.count
                counts.actionEvents += written.actions.count
                counts.jobs += written.jobs.count
                counts.events += written.events.count
                progress(counts.actionEvents)
            }
            writing = next.map { batch in Task { try await write(batch) } }
        }
        return counts
    }

    private func write(_ batch: Batch) async throws -> Batch {
        try await database.transaction { connection in
            try await tasks.upsert(batch.tasks, on: connection)
            try await actions.upsert(batch.actions, on: connection)
            try await jobs.upsert(batch.jobs, on: connection)
            try await events.upsert(batch.events, on: connection)
        }
        return batch
    }

    /// Seeds only when the activity log is empty; returns what was written.
    public func seedIfEmpty(actionEvents: Int) async throws -> Counts {
        guard try await tasks.isEmpty(), try await actions.isEmpty() else { return Counts() }
        return try await seed(actionEvents: actionEvents, seed: 1)
    }
}
