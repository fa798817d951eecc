import ActivityLog
import WardenCore

extension TaskRunStore {
    /// Runs an ERRORED action of a finished task again (Warden's `action_events/{task}/{action}:retry`):
    /// the task becomes PENDING and resumes at that action, with a fresh retry budget and the same
    /// idempotency key, then goes on with the actions after it. The COMPLETED RESET_PASSWORD action of
    /// an ERRORED task may be retried too: a notification whose password was lost resumes there. Returns the task.
    func retry(taskID: String, actionName: String, by caller: String) async throws -> WorkflowTask {
        try await database.transaction { connection in
            let tasks = ActivityStore<WorkflowTask>(database: database)
            let actions = ActivityStore<ActionEvent>(database: database)
            guard var task = try await tasks.find(key: [taskID], on: connection) else { throw APIError.notFound("workflow task \(taskID)") }
            guard var event = try await actions.find(key: [taskID, actionName], on: connection) else {
                throw APIError.notFound("action event \(actionName) of workflow task \(taskID)")
            }
            // A RESET_PASSWORD action is retried after a later action lost its password (a restart between them).
            guard event.state == .errored || (event.actionType == .resetPassword && task.state == .errored) else {
                throw APIError(
                    .failedPrecondition,
                    "action \(actionName) of task \(taskID) is \(event.state.rawValue); only an ERRORED action (or the RESET_PASSWORD action of an ERRORED task) can be retried")
            }
            guard task.state == .errored || task.state == .completed else {
                throw APIError(
                    .failedPrecondition, "workflow task \(taskID) is \(task.state.rawValue); an action can be retried once its task has ended",
                    resolution: "Wait until the task is ERRORED or COMPLETED.")
            }
            guard var run = try await run(taskID: taskID, on: connection), let index = run.steps?.firstIndex(where: { $0.name == actionName }) else {
                throw APIError(.failedPrecondition, "workflow task \(taskID) was not run by Warden's runner; restart it instead")
            }
            let now = clock.now
            run.nextStep = index
            run.attempt = 0
            run.stepStartedAt = nil
            run.release(dueAt: now)
            task.state = .pending
            task.completedAt = nil
            task.updatedAt = now
            task.messages.append("Retry of action \(actionName) requested by \(caller).")
            event.state = .pending
            event.completedAt = nil
            event.message = "retry requested by \(caller)"
            try await tasks.upsert([task], on: connection)
            try await actions.upsert([event], on: connection)
            try await save([run], on: connection)
            return task
        }
    }
}
