import ActivityLog
import Foundation
import Hummingbird
import Lifecycle
import SCIMFilter
import WardenCore

extension ActivityPages {
    /// One record's page: every field, links to the records it belongs with, and what may be done to it.
    func addDetails(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("action_events/{workflow_task}/{action_name}") { request, context in
            let caller = try context.require(.webActionEvent)
            let key = [try context.pathParameter("workflow_task"), try context.pathParameter("action_name")]
            let event = try await find(ActionEvent.self, key: key)
            let task = ActivityTabs.path(event.policyTask)
            var data = details(event, heading: "\(event.actionName) · \(event.identityName)", state: event.state.rawValue, message: event.message)
            data["links"] = [
                ["text": "Its workflow task", "href": "/ui/workflow_tasks/\(task)"],
                ["text": "Its jobs", "href": "/ui/activity/job_events?filter=\(filterQuery(event.policyTask, event.actionName))"],
                ["text": "Its task's events", "href": "/ui/activity/events?filter=\(filterQuery(event.policyTask))"],
            ]
            if event.state == .errored, APIOperation.webRetryActionEvent.permission.allows(caller.role) {
                data["forms"] = [["action": "/ui/action_events/\(task)/\(ActivityTabs.path(event.actionName))/retry", "label": "Retry", "id": "retry-action", "primary": true]]
            }
            return detailPage(data, title: "Workflow action", context: context, notice: request.formQuery["notice"])
        }
        ui.post("action_events/{workflow_task}/{action_name}/retry") { _, context in
            let caller = try context.require(.webRetryActionEvent)
            let task = try context.pathParameter("workflow_task")
            let action = try context.pathParameter("action_name")
            _ = try await lifecycle.retryAction(taskID: task, actionName: action, by: caller.name)
            return Response.redirect(
                to: "/ui/action_events/\(ActivityTabs.path(task))/\(ActivityTabs.path(action))?notice=\(FormFields.encode("Retry started."))")
        }
        ui.get("workflow_tasks/{id}") { request, context in
            let caller = try context.require(.webWorkflowTask)
            let task = try await find(WorkflowTask.self, key: [try context.pathParameter("id")])
            var data = details(task, heading: "\(task.workflow) · \(task.identityName)", state: task.state.rawValue, message: task.messages.joined(separator: "\n"))
            data["links"] = [
                ["text": "Its actions", "href": "/ui/activity/action_events?filter=\(filterQuery(task.id))"],
                ["text": "Its jobs", "href": "/ui/activity/job_events?filter=\(filterQuery(task.id))"],
                ["text": "Its events", "href": "/ui/activity/events?filter=\(filterQuery(task.id))"],
            ]
            if task.state == .blocked, APIOperation.webUnblockWorkflowTask.permission.allows(caller.role) {
                let action = "/ui/workflow_tasks/\(ActivityTabs.path(task.id))/unblock"
                data["forms"] = [
                    ["action": action, "label": "Run", "id": "run-task", "primary": true, "field": "action", "value": "RUN"],
                    ["action": action, "label": "Abandon", "id": "abandon-task", "danger": true, "field": "action", "value": "ABANDON"],
                ]
            }
            return detailPage(data, title: "Workflow task", context: context, notice: request.formQuery["notice"])
        }
        ui.post("workflow_tasks/{id}/unblock") { request, context in
            let caller = try context.require(.webUnblockWorkflowTask)
            let id = try context.pathParameter("id")
            let fields = try await request.formFields(context: context)
            guard let action = fields["action"].flatMap(UnblockRequest.Action.init(rawValue:)) else {
                throw APIError.invalidArgument("action", "action must be RUN or ABANDON")
            }
            let result = try await ActivityStore<WorkflowTask>(database: database).unblock(
                UnblockRequest(taskIDs: [id], action: action), by: caller.name, queue: lifecycle.taskQueue)
            let notice = result.skipped.first.map { "Not changed: \($0.reason)" } ?? (action == .run ? "The task will run." : "The task was abandoned.")
            return Response.redirect(to: "/ui/workflow_tasks/\(ActivityTabs.path(id))?notice=\(FormFields.encode(notice))")
        }
        ui.get("job_events/{job_id}") { _, context in
            try context.require(.webJobEvent)
            let job = try await find(JobEvent.self, key: [try context.pathParameter("job_id")])
            var data = details(job, heading: "\(job.actionName) · \(job.identityName)", state: job.state.rawValue, message: nil)
            data["links"] = [
                ["text": "Its workflow task", "href": "/ui/workflow_tasks/\(ActivityTabs.path(job.policyTask))"],
                ["text": "Its action", "href": "/ui/action_events/\(ActivityTabs.path(job.policyTask))/\(ActivityTabs.path(job.actionName))"],
                ["text": "Its events", "href": "/ui/activity/events?filter=\(FormFields.encode("job_id eq \(quoted(job.jobID))"))"],
            ]
            return detailPage(data, title: "Job", context: context)
        }
        ui.get("events/{id}") { _, context in
            try context.require(.webLifecycleEvent)
            let event = try await find(LifecycleEvent.self, key: [try context.pathParameter("id")])
            var data = details(event, heading: "\(event.eventType.rawValue) · \(event.identityEntityName)", state: event.success ? "COMPLETED" : "ERRORED", message: event.message)
            data["links"] = (event.policyTask.isEmpty ? [] : [["text": "Its workflow task", "href": "/ui/workflow_tasks/\(ActivityTabs.path(event.policyTask))"]])
                + (event.jobID.isEmpty ? [] : [["text": "Its job", "href": "/ui/job_events/\(ActivityTabs.path(event.jobID))"]])
            return detailPage(data, title: "Event", context: context)
        }
    }

    private func find<Record: ActivityRecord>(_ type: Record.Type, key: [String]) async throws -> Record {
        guard let record = try await ActivityStore<Record>(database: database).find(key: key) else {
            throw APIError.notFound("\(Record.noun) \(key.joined(separator: "/"))")
        }
        return record
    }

    /// A detail page's data: the heading, state and message up top, then every field as the API writes it.
    private func details(_ record: some Encodable, heading: String, state: String, message: String?) -> [String: Any] {
        var data: [String: Any] = ["heading": heading, "state": state, "fields": Self.fields(record)]
        if let message, !message.isEmpty { data["message"] = message }
        return data
    }

    private func detailPage(_ data: [String: Any], title: String, context: WebRequestContext, notice: String? = nil) -> Response {
        var data = data
        data["kind"] = title
        return renderer.page("activity_detail", title: "\(title) · \(data["heading"] ?? "")", chrome: Chrome(context: context, current: "Activity Log", notice: notice), data)
    }

    /// The record's fields as the API's JSON names and writes them, sorted by name; objects as JSON text.
    static func fields(_ record: some Encodable) -> [[String: Any]] {
        guard let data = try? WireJSON.encoder().encode(record), case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return []
        }
        return object.keys.sorted().map { name in
            let value = object[name] ?? .null
            var field: [String: Any] = ["name": name]
            switch value {
            case .string(let text):
                if text.count >= 20, let time = Timestamp(rfc3339: text) { field["time"] = time.rfc3339; field["text"] = TableCell.utc(time) } else { field["text"] = text }
            case .object, .array: field["json"] = String(decoding: (try? WireJSON.encoder().encode(value)) ?? Data(), as: UTF8.self)
            case .null: field["text"] = ""
            case .bool(let flag): field["text"] = flag ? "true" : "false"
            case .number: field["text"] = value.jsonText
            }
            return field
        }
    }

    /// `policy_task eq "<task>"`, and `and action_name eq "<action>"` when given, as a query value.
    private func filterQuery(_ task: String, _ action: String? = nil) -> String {
        FormFields.encode("policy_task eq \(quoted(task))" + (action.map { " and action_name eq \(quoted($0))" } ?? ""))
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
