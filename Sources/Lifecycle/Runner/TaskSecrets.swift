import NIOConcurrencyHelpers

/// The secret output fields of running tasks (RESET_PASSWORD's `password`), by task id and action
/// name, held in this process's memory only: never written to the database, an event, a job or a
/// log. A task's secrets are dropped when it ends; a process that stops loses them, and an action
/// that needs one then fails asking for the secret's action to be retried.
final class TaskSecrets: Sendable {
    private let values = NIOLockedValueBox([String: [String: [String: String]]]())

    /// The secret fields of `taskID`'s actions, by action name.
    func outputs(of taskID: String) -> [String: [String: String]] {
        values.withLockedValue { $0[taskID] ?? [:] }
    }

    /// Every secret value `taskID` holds.
    func values(of taskID: String) -> [String] {
        outputs(of: taskID).values.flatMap(\.values)
    }

    func store(_ fields: [String: String], taskID: String, action: String) {
        guard !fields.isEmpty else { return }
        values.withLockedValue { $0[taskID, default: [:]][action] = fields }
    }

    func remove(taskID: String) {
        _ = values.withLockedValue { $0.removeValue(forKey: taskID) }
    }
}

extension TemplateContext {
    /// The context with each action's secret fields added to its output.
    func adding(secrets: [String: [String: String]]) -> TemplateContext {
        var context = self
        for (action, fields) in secrets {
            var members = context.outputs[action]?.objectMembers ?? [:]
            for (field, value) in fields { members[field] = .string(value) }
            context.outputs[action] = .object(members)
        }
        return context
    }
}
