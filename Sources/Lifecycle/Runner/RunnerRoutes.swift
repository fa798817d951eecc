import ActivityLog
import Hummingbird
import WardenCore

/// `action_events/{workflow_task}/{action_name}:retry` (Warden's): runs one ERRORED action again.
struct RunnerRoutes: Sendable {
    let runs: TaskRunStore

    func add(to api: RouterGroup<WardenRequestContext>) {
        let runs = runs
        api.post("private/lifecycle_management/action_events/{workflow_task}/{action_name}:retry") { _, context in
            let caller = try context.require(.retryActionEvent)
            let task = try await runs.retry(
                taskID: try context.pathParameter("workflow_task"), actionName: try context.pathParameter("action_name"), by: caller.name)
            return JSONResponse(ValueEnvelope(task))
        }
    }
}
