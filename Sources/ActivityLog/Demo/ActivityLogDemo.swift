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

        /// Rows written in all four tables.
        public var rows: Int { tasks + actionEvents + jobs + events }
    }

    /// Action events per write transaction.
    public static let batchSize = 10_000

    /// Writes whole tasks from `seed` until about `actionEvents` action events exist, a batch per
    /// transaction; `progress` is told the running count of action events after each batch.
    @discardableResult
    public func seed(actionEvents target: Int, seed: UInt64, progress: (Int) -> Void = { _ in }) async throws -> Counts {
        var generator = DemoActivityGenerator(seed: seed)
        var counts = Counts()
        while counts.actionEvents < target {
            var (taskRows, actionRows, jobRows, eventRows): ([WorkflowTask], [ActionEvent], [JobEvent], [LifecycleEvent]) = ([], [], [], [])
            actionRows.reserveCapacity(Self.batchSize)
            while actionRows.count < Self.batchSize, counts.actionEvents + actionRows.count < target {
                let next = generator.nextTask()
                taskRows.append(next.task)
                actionRows += next.actions
                jobRows += next.jobs
                eventRows += next.events
            }
            let batch = (taskRows, actionRows, jobRows, eventRows)
            try await database.transaction { connection in
                try await tasks.upsert(batch.0, on: connection)
                try await actions.upsert(batch.1, on: connection)
                try await jobs.upsert(batch.2, on: connection)
                try await events.upsert(batch.3, on: connection)
            }
            counts.tasks += taskRows.count
            counts.actionEvents += actionRows.count
            counts.jobs += jobRows.count
            counts.events += eventRows.count
            progress(counts.actionEvents)
        }
        return counts
    }

    /// Seeds only when the activity log is empty; returns what was written.
    public func seedIfEmpty(actionEvents: Int) async throws -> Counts {
        guard try await tasks.isEmpty(), try await actions.isEmpty() else { return Counts() }
        return try await seed(actionEvents: actionEvents, seed: 1)
    }
}
