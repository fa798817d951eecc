import SCIMFilter

/// An action's settings rendered for one identity: what the runner hands its connector.
public enum RenderedAction: Sendable {
    /// An HTTP request; `path` is appended to the connector's base URL. `successStatuses` nil means any 2xx.
    case http(connector: String, method: String, path: String, headers: [(String, String)], body: JSONValue?, successStatuses: [Int]?)
    case mail(connector: String, to: [String], cc: [String], subject: String, body: String)
    case webhook(connector: String, body: JSONValue)
    case pause(until: Timestamp)
    /// A SCIM operation for the task's identity.
    case scim(connector: String, operation: SCIMOperation)
    /// A certification of the identity's groups on a SCIM target; `reviewer` nil for its manager,
    /// `name` nil for the default.
    case accessReview(connector: String, reviewWorkflow: String, reviewer: String?, name: String?)
    /// WRITE_BACK_EMAIL: set the identity's `attribute` to `value` in Warden's identity store.
    case writeBack(attribute: String, value: String)

    /// The rendered settings as JSON, as `:test` shows them.
    public var wireValue: JSONValue {
        switch self {
        case .http(let connector, let method, let path, let headers, let body, let successStatuses):
            var members: [String: JSONValue] = [
                "connector": .string(connector), "method": .string(method), "path": .string(path),
                "headers": .object(Dictionary(headers.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { _, last in last })),
            ]
            if let body { members["body"] = body }
            if let successStatuses { members["success_statuses"] = .array(successStatuses.map { .number(Double($0)) }) }
            return .object(members)
        case .mail(let connector, let to, let cc, let subject, let body):
            return .object([
                "connector": .string(connector), "to": .array(to.map(JSONValue.string)), "cc": .array(cc.map(JSONValue.string)),
                "subject": .string(subject), "body": .string(body),
            ])
        case .webhook(let connector, let body):
            return .object(["connector": .string(connector), "body": body])
        case .pause(let until):
            return .object(["until": .string(until.rfc3339)])
        case .scim(let connector, let operation):
            var members: [String: JSONValue] = ["connector": .string(connector), "operation": .string(operation.name)]
            switch operation {
            case .manageRelationships(let grant, let revoke, let revokeGroups):
                members["grant_profiles"] = .array(grant.map(JSONValue.string))
                members["revoke_profiles"] = .array(revoke.map(JSONValue.string))
                if !revokeGroups.isEmpty { members["revoke_groups"] = .array(revokeGroups.map(JSONValue.string)) }
            case .createEntitlement(let displayName):
                members["display_name"] = .string(displayName)
            case .createEmail(let rendered):
                members["template_rendered"] = .string(rendered)
            case .resetPassword(let length):
                members["length"] = .number(Double(length))
            case .sync, .deprovision, .delete:
                break
            }
            return .object(members)
        case .accessReview(let connector, let reviewWorkflow, let reviewer, let name):
            var members: [String: JSONValue] = ["connector": .string(connector), "review_workflow": .string(reviewWorkflow)]
            if let reviewer { members["reviewer"] = .string(reviewer) }
            if let name { members["name"] = .string(name) }
            return .object(members)
        case .writeBack(let attribute, let value):
            return .object(["attribute": .string(attribute), "value": .string(value)])
        }
    }
}
