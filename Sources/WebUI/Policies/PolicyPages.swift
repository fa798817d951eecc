import ActivityLog
import Hummingbird
import Lifecycle
import WardenCore

/// The Policies page: each policy's state, live version and tasks by state, with Pause and Resume.
struct PolicyPages: Sendable {
    let renderer: PageRenderer
    let database: Database
    let lifecycle: LifecycleEngine

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("policies") { request, context in
            let caller = try context.require(.webPolicies)
            let policies = try await lifecycle.policies.list()
            let counts = try await ActivityStore<WorkflowTask>(database: database).countsByPolicyAndState()
            let mayChange = APIOperation.webUpdatePolicyState.permission.allows(caller.role)
            let rows: [[String: Any]] = policies.map { policy in
                let tasks = TaskState.allCases.compactMap { state -> [String: Any]? in
                    guard let count = counts[policy.id]?[state] else { return nil }
                    let filter = FormFields.encode("policy_id eq \"\(policy.id)\"")
                    return ["state": state.rawValue, "count": count, "href": "/ui/activity/workflow_tasks?filter=\(filter)&state=\(state.rawValue)"]
                }
                var row: [String: Any] = [
                    "id": policy.id, "name": policy.name, "description": policy.description, "state": policy.state.rawValue,
                    "live_version": policy.currentVersionNumber > 0 ? "\(policy.currentVersionNumber)" : "none", "tasks": tasks,
                    "no_tasks": tasks.isEmpty, "action": "/ui/policies/\(FormFields.encode(policy.id))/state",
                ]
                if mayChange {
                    row[policy.state == .running || policy.state == .dryRun ? "pause" : "resume"] = true
                }
                return row
            }
            return renderer.page(
                "policies", title: "Policies", chrome: Chrome(context: context, current: "Policies", notice: request.formQuery["notice"]),
                ["policies": rows, "empty": rows.isEmpty])
        }
        ui.post("policies/{policy_id}/state") { request, context in
            let caller = try context.require(.webUpdatePolicyState)
            let id = try context.pathParameter("policy_id")
            let fields = try await request.formFields(context: context)
            guard let state = fields["state"].flatMap(PolicyState.init(rawValue:)), [.running, .paused].contains(state) else {
                throw APIError.invalidArgument("state", "state must be RUNNING (resume) or PAUSED (pause)")
            }
            let policy = try await lifecycle.policies.setState(id: id, to: state, by: caller.name)
            let notice = "\(policy.name) is \(state == .paused ? "paused" : "running")."
            return Response.redirect(to: "/ui/policies?notice=\(FormFields.encode(notice))")
        }
    }
}
