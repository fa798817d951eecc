import Foundation
import SCIMFilter
import WardenCore

extension ActivityStore where Record == WorkflowTask {
    /// The tasks with these ids, in one statement; ids without a task are left out.
    public func find(ids: [String], on connection: DatabaseConnection) async throws -> [WorkflowTask] {
        guard !ids.isEmpty else { return [] }
        var select = database.statement("SELECT \(selectList) FROM \(Record.table) WHERE id IN (")
        select.append(binds: ids.map(DatabaseValue.text))
        select.append(")")
        return try await connection.rows(select).map(Self.decode)
    }

    /// Queues a new run of an ERRORED or COMPLETED task: a PENDING task for the same identity and
    /// workflow whose `previous_task_id` is the old one, handed to `queue`. Returns the new task.
    public func restart(id: String, by caller: String, queue: any TaskQueue) async throws -> WorkflowTask {
        try await database.transaction { connection in
            guard let previous = try await find(key: [id], on: connection) else {
                throw APIError.notFound("workflow task \(id)")
            }
            guard previous.state == .errored || previous.state == .completed else {
                throw APIError(
                    .failedPrecondition, "workflow task \(id) is \(previous.state.rawValue); only ERRORED or COMPLETED tasks can be restarted",
                    resolution: previous.state == .blocked ? "Unblock the task with workflow_tasks:unblock instead." : "Wait until the task has finished."
                )
            }
            let now = Timestamp.now
            var task = previous
            task.id = TimeOrderedID.make()
            task.state = .pending
            task.previousTaskID = previous.id
            task.scheduledAt = nil
            task.startedAt = nil
            task.completedAt = nil
            task.anyChanges = false
            task.manuallyTriggered = true
            task.manuallyTriggeredBy = caller
            task.reason = "restart of task \(previous.id)"
            task.messages = ["Restart of task \(previous.id) (\(previous.state.rawValue)) requested by \(caller)."]
            task.createdAt = now
            task.updatedAt = now
            task.runtimeChangeLimitReached = false
            try await upsert([task], on: connection)
            try await queue.enqueue([task], on: connection)
            return task
        }
    }

    /// Runs or abandons BLOCKED tasks in one transaction; tasks that are not BLOCKED, or unknown,
    /// are left alone and reported. An id listed twice counts once. Tasks to run go to `queue`.
    public func unblock(_ request: UnblockRequest, by caller: String, queue: any TaskQueue) async throws -> UnblockResult {
        try await database.transaction { connection in
            var result = UnblockResult()
            var changed: [WorkflowTask] = []
            var seen: Set<String> = []
            for id in request.taskIDs where seen.insert(id).inserted {
                guard var task = try await find(key: [id], on: connection) else {
                    result.skipped.append(.init(id: id, reason: "no such workflow task"))
                    continue
                }
                guard task.state == .blocked else {
                    result.skipped.append(.init(id: id, reason: "task is \(task.state.rawValue), not BLOCKED"))
                    continue
                }
                let now = Timestamp.now
                switch request.action {
                case .run:
                    task.state = .pending
                    task.disregardChangeLimit = true
                    task.messages.append("Unblocked by \(caller): the task will run past its safety limit.")
                case .abandon:
                    task.state = .abandoned
                    task.completedAt = now
                    task.messages.append("Abandoned by \(caller) while blocked by its safety limit.")
                }
                task.updatedAt = now
                changed.append(task)
                result.updatedTaskIDs.append(id)
            }
            try await upsert(changed, on: connection)
            try await queue.enqueue(changed.filter { $0.state == .pending }, on: connection)
            return result
        }
    }
}

/// The body of `workflow_tasks:unblock`: which BLOCKED tasks, and whether to run or abandon them.
public struct UnblockRequest: Codable, Sendable {
    public enum Action: String, WireEnum {
        /// Run the task past the safety limit that blocked it.
        case run = "RUN"
        /// Give the task up; it becomes ABANDONED.
        case abandon = "ABANDON"
    }

    public var taskIDs: [String]
    public var action: Action

    /// Most tasks one call may unblock.
    public static let maximumTasks = 1_000

    enum CodingKeys: String, CodingKey {
        case taskIDs = "task_ids"
        case action
    }

    public init(taskIDs: [String], action: Action) {
        self.taskIDs = taskIDs
        self.action = action
    }

    /// Checks the request before anything is read; each problem is a 400 naming the field.
    public func validate() throws(APIError) {
        guard !taskIDs.isEmpty else { throw .invalidArgument("task_ids", "task_ids is empty; name at least one BLOCKED task") }
        guard taskIDs.count <= Self.maximumTasks else {
            throw .invalidArgument("task_ids", "task_ids names \(taskIDs.count) tasks; at most \(Self.maximumTasks) per call")
        }
    }
}

/// What `workflow_tasks:unblock` did.
public struct UnblockResult: Codable, Sendable, Equatable {
    public struct Skipped: Codable, Sendable, Equatable {
        public var id: String
        public var reason: String
    }

    public var updatedTaskIDs: [String] = []
    public var skipped: [Skipped] = []

    enum CodingKeys: String, CodingKey {
        case updatedTaskIDs = "updated_task_ids"
        case skipped
    }
}

extension ActivityStore where Record == WorkflowTask {
    /// How many tasks each policy has in each state.
    public func countsByPolicyAndState() async throws -> [String: [TaskState: Int]] {
        let rows = try await database.rows(database.statement("SELECT policy_id, state, COUNT(*) FROM lcm_workflow_tasks GROUP BY policy_id, state"))
        var counts: [String: [TaskState: Int]] = [:]
        for row in rows {
            var reader = row.reader()
            let policy = try reader.text()
            let state = try reader.wireEnum(TaskState.self)
            counts[policy, default: [:]][state] = Int(try reader.integer())
        }
        return counts
    }
}
