import ActivityLog
import SCIMFilter

/// What `POST policies/{id}:test` answers: the workflows one identity change would trigger, and
/// each action with its settings rendered (or why they cannot be). Nothing is changed or called.
public struct PolicyTestResult: Encodable, Sendable {
    public var workflowsMatched: [String]
    public var actions: [Action]
    public var messages: [String]

    public struct Action: Encodable, Sendable {
        public var workflow: String
        public var name: String
        public var type: ActionType
        public var skipped: Bool
        public var rendered: JSONValue?
        public var error: String?
    }

    enum CodingKeys: String, CodingKey {
        case workflowsMatched = "workflows_matched"
        case actions, messages
    }
}
