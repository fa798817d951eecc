import ActivityLog
import SCIMFilter
import WardenCore

/// Reads a config document into a `PolicyConfig`, collecting every problem rather than stopping at
/// the first; what it cannot read is left out of the result.
struct PolicyConfigParser {
    var reader = ConfigReader()
    private var attributeReferences: [(field: String, names: Set<String>)] = []
    private var connectorUses: [(field: String, connector: String, type: ConnectorType)] = []
    private var actionReferences: [(field: String, action: String)] = []
    /// Each `{actions.X.password}`: where, in which action, naming X.
    private var passwordReferences: [(field: String, action: PolicyActionName, reset: String)] = []
    /// Each WRITE_BACK_EMAIL's `create_email_action`.
    private var createEmailReferences: [(field: String, action: String)] = []
    /// The action being parsed, for the references its templates make.
    private var current: PolicyActionName?

    /// An action by name and type, as the parser records where a reference is made.
    struct PolicyActionName {
        var name: String
        var type: ActionType
    }

    init(reader: ConfigReader = ConfigReader()) {
        self.reader = reader
    }

    static let configFields = ["workflows", "actions"]
    static let workflowFields = ["name", "description", "state", "trigger", "trigger_string", "conditions_on_success"]
    static let triggerFields = ["changes", "attributes", "filter"]
    static let conditionFields = [
        "name", "condition_type", "condition_string", "actions_to_run", "continue_actions_if_any_error", "state", "conditions_on_success",
    ]
    static let actionFields = ["name", "description", "type", "config", "condition", "continue_on_error", "state"]

    mutating func parse(_ document: JSONValue, at path: String) -> PolicyConfig {
        let members = reader.object(document, at: path, allowed: Self.configFields, what: "a policy config")
        let actionElements = reader.array(members, "actions", at: path)
        let actions = actionElements.enumerated().compactMap { offset, element in
            parseAction(element, at: "\(path).actions[\(offset)]")
        }
        let names = reportDuplicates(actionElements, at: "\(path).actions", what: "action")
        let workflowElements = reader.array(members, "workflows", at: path)
        let workflows = workflowElements.enumerated().compactMap { offset, element in
            parseWorkflow(element, at: "\(path).workflows[\(offset)]")
        }
        reportDuplicates(workflowElements, at: "\(path).workflows", what: "workflow")
        for (field, action) in actionReferences where !names.contains(action) {
            reader.report(field, "\(field) names the action \"\(action)\", which this version does not define")
        }
        checkSecretReferences(actions: actions, workflows: workflows)
        return PolicyConfig(
            document: document, workflows: workflows, actions: actions,
            attributeReferences: attributeReferences, connectorUses: connectorUses)
    }

    /// Reports each element whose name an earlier one has; returns every name given, valid element or not.
    @discardableResult
    private mutating func reportDuplicates(_ elements: [JSONValue], at path: String, what: String) -> Set<String> {
        var seen: Set<String> = []
        for (offset, element) in elements.enumerated() {
            guard case .object(let members) = element, case .string(let name)? = members["name"], !name.isEmpty else { continue }
            if !seen.insert(name).inserted {
                reader.report("\(path)[\(offset)].name", "another \(what) is already named \"\(name)\"; \(what) names must be unique within a version")
            }
        }
        return seen
    }

    // MARK: Workflows and conditions

    private mutating func parseWorkflow(_ value: JSONValue, at path: String) -> PolicyWorkflow? {
        let members = reader.object(value, at: path, allowed: Self.workflowFields, what: "a workflow")
        let name = reader.string(members, "name", at: path, required: true)
        let description = reader.string(members, "description", at: path) ?? ""
        let state = reader.wireEnum(ComponentState.self, members, "state", at: path) ?? .enabled
        let trigger = reader.object(members["trigger"], at: "\(path).trigger", allowed: Self.triggerFields, what: "a trigger")
        var changes: Set<IdentityChangeKind> = []
        for (offset, element) in reader.array(trigger, "changes", at: "\(path).trigger").enumerated() {
            guard case .string(let text) = element, let change = IdentityChangeKind(rawValue: text.uppercased()) else {
                reader.report(
                    "\(path).trigger.changes[\(offset)]",
                    "\(path).trigger.changes[\(offset)] must be one of \(IdentityChangeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            changes.insert(change)
        }
        let attributes = reader.strings(trigger, "attributes", at: "\(path).trigger")
        if !attributes.isEmpty, !changes.isEmpty, !changes.contains(.changed) {
            reader.report("\(path).trigger.attributes", "\(path).trigger.attributes applies only to CHANGED, which trigger.changes does not include")
        }
        var filter = reader.filter(trigger, "filter", at: "\(path).trigger")
        if let triggerString = reader.filter(members, "trigger_string", at: path) {
            if filter != nil, reader.string(trigger, "filter", at: "\(path).trigger") != reader.string(members, "trigger_string", at: path) {
                reader.report("\(path).trigger_string", "\(path).trigger_string and trigger.filter differ; give one of them")
            }
            filter = triggerString
        }
        let conditions = parseConditions(members, at: path)
        guard let name else { return nil }
        return PolicyWorkflow(
            name: name, description: description, enabled: state == .enabled,
            changes: changes.isEmpty ? Set(IdentityChangeKind.allCases) : changes, attributes: Set(attributes),
            filter: filter, conditions: conditions)
    }

    private mutating func parseConditions(_ members: [String: JSONValue], at path: String) -> [PolicyCondition] {
        reader.array(members, "conditions_on_success", at: path).enumerated().compactMap { offset, element in
            parseCondition(element, at: "\(path).conditions_on_success[\(offset)]")
        }
    }

    private mutating func parseCondition(_ value: JSONValue, at path: String) -> PolicyCondition? {
        let members = reader.object(value, at: path, allowed: Self.conditionFields, what: "a condition")
        let name = reader.string(members, "name", at: path) ?? ""
        let filter = reader.filter(members, "condition_string", at: path)
        let type = reader.wireEnum(ConditionType.self, members, "condition_type", at: path) ?? (filter == nil ? .any : .conditionString)
        if type == .conditionString, filter == nil, reader.string(members, "condition_string", at: path)?.isEmpty ?? true {
            reader.report("\(path).condition_string", "\(path).condition_string is required when condition_type is CONDITION_STRING")
        }
        var actionsToRun: [String] = []
        for (offset, element) in reader.array(members, "actions_to_run", at: path).enumerated() {
            let field = "\(path).actions_to_run[\(offset)]"
            let reference = reader.object(element, at: field, allowed: ["name", "type"], what: "an action reference")
            guard let action = reader.string(reference, "name", at: field, required: true) else { continue }
            actionReferences.append((field: "\(field).name", action: action))
            actionsToRun.append(action)
        }
        let continueOnError = reader.bool(members, "continue_actions_if_any_error", at: path) ?? false
        let state = reader.wireEnum(ComponentState.self, members, "state", at: path) ?? .enabled
        let conditions = parseConditions(members, at: path)
        return PolicyCondition(
            name: name, filter: type == .any ? nil : filter, actionsToRun: actionsToRun, continueActionsIfAnyError: continueOnError,
            enabled: state == .enabled, conditions: conditions)
    }

    // MARK: Actions

    private mutating func parseAction(_ value: JSONValue, at path: String) -> PolicyAction? {
        let members = reader.object(value, at: path, allowed: Self.actionFields, what: "an action")
        let name = reader.string(members, "name", at: path, required: true)
        let description = reader.string(members, "description", at: path) ?? ""
        let condition = reader.filter(members, "condition", at: path)
        let continueOnError = reader.bool(members, "continue_on_error", at: path) ?? false
        let state = reader.wireEnum(ComponentState.self, members, "state", at: path) ?? .enabled
        guard members["type"] != nil else {
            reader.report("\(path).type", "\(path).type is required: one of \(ActionSettings.performedTypes.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let type = reader.wireEnum(ActionType.self, members, "type", at: path) else { return nil }
        guard ActionSettings.performedTypes.contains(type) else {
            reader.report(
                "\(path).type",
                "Warden cannot perform \(type.rawValue) actions yet; it performs \(ActionSettings.performedTypes.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        current = name.map { PolicyActionName(name: $0, type: type) }
        defer { current = nil }
        guard let settings = parseSettings(of: type, members["config"], at: "\(path).config"), let name else { return nil }
        return PolicyAction(
            name: name, description: description, type: type, settings: settings, condition: condition,
            continueOnError: continueOnError, enabled: state == .enabled)
    }

    /// Records what a parsed template references, for the checks against other actions and the sources.
    private mutating func noteReferences(_ paths: [TemplatePath], at field: String) {
        let attributes = paths.attributeNames
        if !attributes.isEmpty { attributeReferences.append((field: field, names: attributes)) }
        for action in paths.actionNames.sorted() {
            actionReferences.append((field: field, action: action))
        }
        if let current {
            for reset in paths.actionNames(referencing: "password").sorted() {
                passwordReferences.append((field: field, action: current, reset: reset))
            }
        }
    }

    private mutating func template(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool = false) -> Template? {
        let template = reader.template(members, key, at: path, required: required)
        if let template { noteReferences(template.paths, at: "\(path).\(key)") }
        return template
    }

    private mutating func templates(_ members: [String: JSONValue], _ key: String, at path: String) -> [Template] {
        reader.strings(members, key, at: path).enumerated().compactMap { offset, text in
            let field = "\(path).\(key)[\(offset)]"
            let template = reader.template(text, at: field)
            if let template { noteReferences(template.paths, at: field) }
            return template
        }
    }

    private mutating func jsonTemplate(_ value: JSONValue, at field: String) -> JSONTemplate? {
        let template = reader.jsonTemplate(value, at: field)
        if let template { noteReferences(template.paths, at: field) }
        return template
    }

    private mutating func connector(_ members: [String: JSONValue], at path: String, type: ConnectorType) -> String? {
        let name = reader.string(members, "connector", at: path, required: true)
        if let name, !name.isEmpty { connectorUses.append((field: "\(path).connector", connector: name, type: type)) }
        return name
    }

    private mutating func parseSettings(of type: ActionType, _ value: JSONValue?, at path: String) -> ActionSettings? {
        switch type {
        case .sendRestPayload, .customAction: parseHTTP(value, at: path).map(ActionSettings.http)
        case .sendNotification: parseNotification(value, at: path)
        case .syncIdentities, .deprovisionIdentity, .deleteIdentity, .manageRelationships, .createEntitlement, .createEmail, .resetPassword:
            parseSCIM(type, value, at: path).map(ActionSettings.scim)
        case .createAccessReview: parseAccessReview(value, at: path).map(ActionSettings.accessReview)
        case .writeBackEmail: parseWriteBack(value, at: path).map(ActionSettings.writeBack)
        default: parsePause(value, at: path).map(ActionSettings.pause)
        }
    }

    private mutating func parseHTTP(_ value: JSONValue?, at path: String) -> ActionSettings.HTTP? {
        let allowed = ["@type", "connector", "method", "path", "headers", "body", "success_statuses"]
        let members = reader.object(value, at: path, allowed: allowed, what: "a REST action's settings")
        let connector = connector(members, at: path, type: .rest)
        var method = reader.string(members, "method", at: path, required: true)?.uppercased()
        if let given = method, !given.isEmpty, !ActionSettings.HTTP.methods.contains(given) {
            reader.report("\(path).method", "\(path).method must be one of \(ActionSettings.HTTP.methods.joined(separator: ", ")), not \(given)")
            method = nil
        }
        let route = template(members, "path", at: path)
        var headers: [(name: String, value: Template)] = []
        let headerMembers = reader.members(members["headers"], at: "\(path).headers")
        for (name, _) in headerMembers.sorted(by: { $0.key < $1.key }) {
            guard let value = template(headerMembers, name, at: "\(path).headers") else { continue }
            headers.append((name: name, value: value))
        }
        let body = members["body"].flatMap { jsonTemplate($0, at: "\(path).body") }
        if let method, ActionSettings.HTTP.methodsWithBody.contains(method), members["body"] == nil {
            reader.report("\(path).body", "\(path).body is required: \(method) sends a JSON body")
        }
        var successStatuses: [Int]?
        if members["success_statuses"] != nil {
            successStatuses = reader.array(members, "success_statuses", at: path).enumerated().compactMap { offset, element in
                guard case .number(let number) = element, let status = Int(exactly: number), (100...599).contains(status) else {
                    reader.report("\(path).success_statuses[\(offset)]", "\(path).success_statuses[\(offset)] must be an HTTP status from 100 to 599")
                    return nil
                }
                return status
            }
        }
        guard let connector, let method else { return nil }
        return ActionSettings.HTTP(
            connector: connector, method: method, path: route ?? Template.empty, headers: headers, body: body, successStatuses: successStatuses)
    }

    /// E-mail when the settings have `to`, else a webhook.
    private mutating func parseNotification(_ value: JSONValue?, at path: String) -> ActionSettings? {
        let allowed = ["@type", "connector", "to", "cc", "subject", "body"]
        let members = reader.object(value, at: path, allowed: allowed, what: "a notification's settings")
        guard members["to"] != nil else {
            let connector = connector(members, at: path, type: .webhook)
            for key in ["cc", "subject"] where members[key] != nil {
                reader.report("\(path).\(key)", "\(path).\(key) is for e-mail, which needs \(path).to; a webhook notification takes only connector and body")
            }
            guard let body = members["body"] else {
                reader.report("\(path).body", "\(path).body is required: the JSON a webhook posts (or give to, subject and body for an e-mail)")
                return nil
            }
            guard let connector, let template = jsonTemplate(body, at: "\(path).body") else { return nil }
            return .webhook(ActionSettings.Webhook(connector: connector, body: template))
        }
        let connector = connector(members, at: path, type: .smtp)
        let to = templates(members, "to", at: path)
        if to.isEmpty, case .array(let given)? = members["to"], given.isEmpty {
            reader.report("\(path).to", "\(path).to needs at least one address")
        }
        let cc = templates(members, "cc", at: path)
        let subject = template(members, "subject", at: path, required: true)
        let body = template(members, "body", at: path, required: true)
        guard let connector, let subject, let body, !to.isEmpty else { return nil }
        return .mail(ActionSettings.Mail(connector: connector, to: to, cc: cc, subject: subject, body: body))
    }

    /// A SCIM action: `connector`, and `grant_profiles`/`revoke_profiles`/`revoke_groups`
    /// (MANAGE_RELATIONSHIPS, at least one of them), `display_name` (CREATE_ENTITLEMENT), `template`
    /// (CREATE_EMAIL) or `length` (RESET_PASSWORD, optional).
    private mutating func parseSCIM(_ type: ActionType, _ value: JSONValue?, at path: String) -> ActionSettings.SCIM? {
        let extra: [String] = switch type {
        case .manageRelationships: ["grant_profiles", "revoke_profiles", "revoke_groups"]
        case .createEntitlement: ["display_name"]
        case .createEmail: ["template"]
        case .resetPassword: ["length"]
        default: []
        }
        let members = reader.object(value, at: path, allowed: ["@type", "connector"] + extra, what: "a \(type.rawValue) action's settings")
        let connector = connector(members, at: path, type: .scim)
        let operation: ActionSettings.SCIM.Operation?
        switch type {
        case .manageRelationships:
            let grant = reader.strings(members, "grant_profiles", at: path)
            let revoke = reader.strings(members, "revoke_profiles", at: path)
            for (key, names) in [("grant_profiles", grant), ("revoke_profiles", revoke)] {
                for (offset, name) in names.enumerated() where name.isEmpty {
                    reader.report("\(path).\(key)[\(offset)]", "\(path).\(key)[\(offset)] must name an access profile")
                }
            }
            let revokeGroups = templates(members, "revoke_groups", at: path)
            if grant.isEmpty, revoke.isEmpty, members["revoke_groups"] == nil {
                reader.report(
                    path, "\(path) needs grant_profiles, revoke_profiles or revoke_groups: the access profiles to grant or revoke, or the groups to revoke")
            }
            operation = .manageRelationships(grant: grant, revoke: revoke, revokeGroups: revokeGroups)
        case .createEntitlement:
            operation = template(members, "display_name", at: path, required: true).map(ActionSettings.SCIM.Operation.createEntitlement)
        case .createEmail:
            operation = template(members, "template", at: path, required: true).map(ActionSettings.SCIM.Operation.createEmail)
        case .resetPassword:
            let length = reader.integer(members, "length", at: path) ?? PasswordGenerator.defaultLength
            if !PasswordGenerator.lengths.contains(length) {
                reader.report(
                    "\(path).length",
                    "\(path).length must be from \(PasswordGenerator.lengths.lowerBound) to \(PasswordGenerator.lengths.upperBound), not \(length)")
            }
            operation = .resetPassword(length: length)
        case .deprovisionIdentity: operation = .deprovision
        case .deleteIdentity: operation = .delete
        default: operation = .sync
        }
        guard let connector, let operation else { return nil }
        return ActionSettings.SCIM(connector: connector, operation: operation)
    }

    /// CREATE_ACCESS_REVIEW: `connector` (SCIM), `review_workflow` (id or name), and optional
    /// `reviewer` (an email template; the manager when absent) and `name` templates.
    private mutating func parseAccessReview(_ value: JSONValue?, at path: String) -> ActionSettings.AccessReview? {
        let allowed = ["@type", "connector", "review_workflow", "reviewer", "name"]
        let members = reader.object(value, at: path, allowed: allowed, what: "a CREATE_ACCESS_REVIEW action's settings")
        let connector = connector(members, at: path, type: .scim)
        let workflow = reader.string(members, "review_workflow", at: path, required: true)
        if workflow?.isEmpty == true { reader.report("\(path).review_workflow", "\(path).review_workflow must name a review workflow (its id or name)") }
        let reviewer = members["reviewer"] == nil ? nil : template(members, "reviewer", at: path)
        let name = members["name"] == nil ? nil : template(members, "name", at: path)
        guard let connector, let workflow, !workflow.isEmpty else { return nil }
        return ActionSettings.AccessReview(connector: connector, reviewWorkflow: workflow, reviewer: reviewer, name: name)
    }

    /// WRITE_BACK_EMAIL: `create_email_action` (a CREATE_EMAIL action's name) or `email` (a
    /// template), and `attribute` (default `email`).
    private mutating func parseWriteBack(_ value: JSONValue?, at path: String) -> ActionSettings.WriteBack? {
        let members = reader.object(value, at: path, allowed: ["@type", "create_email_action", "email", "attribute"], what: "a WRITE_BACK_EMAIL action's settings")
        let attribute = reader.string(members, "attribute", at: path) ?? "email"
        if attribute.isEmpty { reader.report("\(path).attribute", "\(path).attribute must name the identity attribute to write") }
        switch (members["create_email_action"], members["email"]) {
        case (nil, nil), (.some, .some):
            reader.report(path, "\(path) needs exactly one of create_email_action (the CREATE_EMAIL action whose address to write) and email (a template)")
            return nil
        case (.some, nil):
            guard let action = reader.string(members, "create_email_action", at: path, required: true), !action.isEmpty else { return nil }
            let field = "\(path).create_email_action"
            createEmailReferences.append((field: field, action: action))
            guard let email = reader.template("{\(TemplatePath.outputPrefix).\(action).email}", at: field) else { return nil }
            noteReferences(email.paths, at: field)
            return attribute.isEmpty ? nil : ActionSettings.WriteBack(email: email, attribute: attribute)
        case (nil, .some):
            guard let email = template(members, "email", at: path, required: true), !attribute.isEmpty else { return nil }
            return ActionSettings.WriteBack(email: email, attribute: attribute)
        }
    }

    /// Reports each `create_email_action` that is not a CREATE_EMAIL action, and each
    /// `{actions.X.password}` that is not in a notification's subject or body or whose X is not a
    /// RESET_PASSWORD action run earlier in every workflow that runs the notification.
    private mutating func checkSecretReferences(actions: [PolicyAction], workflows: [PolicyWorkflow]) {
        let types = Dictionary(actions.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        for (field, action) in createEmailReferences {
            if let type = types[action], type != .createEmail {
                reader.report(field, "\(field) names \"\(action)\", a \(type.rawValue) action; it must name a CREATE_EMAIL action")
            }
        }
        let orders = workflows.map { workflow in (workflow.name, Self.actionOrder(workflow.conditions)) }
        for (field, action, reset) in passwordReferences {
            guard action.type == .sendNotification, field.hasSuffix(".subject") || field.hasSuffix(".body") else {
                reader.report(field, "\(field) uses {actions.\(reset).password}; a generated password may only go into a SEND_NOTIFICATION's subject or body")
                continue
            }
            guard let type = types[reset] else { continue }
            guard type == .resetPassword else {
                reader.report(field, "\(field) uses {actions.\(reset).password}, but \(reset) is a \(type.rawValue) action; only RESET_PASSWORD answers a password")
                continue
            }
            for (workflow, order) in orders {
                guard let position = order.firstIndex(of: action.name) else { continue }
                if !order[..<position].contains(reset) {
                    reader.report(field, "\(field) uses {actions.\(reset).password}, but workflow \"\(workflow)\" does not run \(reset) before \(action.name)")
                }
            }
        }
    }

    /// The action names `conditions` run, in order, depth first.
    private static func actionOrder(_ conditions: [PolicyCondition]) -> [String] {
        conditions.flatMap { $0.actionsToRun + actionOrder($0.conditions) }
    }

    private mutating func parsePause(_ value: JSONValue?, at path: String) -> ActionSettings.Pause? {
        let members = reader.object(value, at: path, allowed: ["@type", "duration", "until"], what: "a pause's settings")
        switch (members["duration"], members["until"]) {
        case (nil, nil), (.some, .some):
            reader.report(path, "\(path) needs exactly one of duration (such as \"90s\", \"15m\", \"72h\", \"3d\") and until (a template giving an RFC 3339 time)")
            return nil
        case (.some, nil):
            guard let text = reader.string(members, "duration", at: path) else { return nil }
            guard let duration = ActionSettings.Pause.duration(parsing: text) else {
                reader.report("\(path).duration", "\(path).duration \"\(text)\" is not a duration such as \"90s\", \"15m\", \"72h\", \"3d\" or \"1h30m\"")
                return nil
            }
            return .duration(duration)
        case (nil, .some):
            return template(members, "until", at: path, required: true).map(ActionSettings.Pause.until)
        }
    }
}
