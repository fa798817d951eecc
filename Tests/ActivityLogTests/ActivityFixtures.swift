import ActivityLog
import Lifecycle
import WardenCore
import WardenTestSupport

/// Demo activity for tests: whole tasks from the generator, written through the stores.
enum ActivityFixtures {
    static func tasks(_ count: Int, seed: UInt64 = 7) -> [DemoTask] {
        var generator = DemoActivityGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextTask() }
    }

    static func write(_ tasks: [DemoTask], to database: Database) async throws {
        try await ActivityStore<WorkflowTask>(database: database).upsert(tasks.map(\.task))
        try await ActivityStore<ActionEvent>(database: database).upsert(tasks.flatMap(\.actions))
        try await ActivityStore<JobEvent>(database: database).upsert(tasks.flatMap(\.jobs))
        try await ActivityStore<LifecycleEvent>(database: database).upsert(tasks.flatMap(\.events))
    }

    /// A live server with `count` demo tasks and everything they produced. No runner works on the
    /// tasks (they belong to no policy), so what a test sets is what it reads back.
    static func seeded(
        _ kind: DatabaseKind = .sqlite, tasks count: Int = 60, maxConcurrentExports: Int = ExportJobs.defaultMaxConcurrent,
        _ body: @escaping @Sendable (TestServer, [DemoTask]) async throws -> Void
    ) async throws {
        try await TestServer.run(kind, maxConcurrentExports: maxConcurrentExports, runner: RunnerSettings(concurrency: 0)) { server in
            let tasks = Self.tasks(count)
            try await write(tasks, to: server.database)
            try await body(server, tasks)
        }
    }
}
