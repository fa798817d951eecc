import AccessReviews
import Foundation
import WardenCore

/// The smart action definition form (create and edit): its fields read into the body the API's
/// `smart_action_definitions` calls take, decoded as the API decodes it; and its values and the
/// API's field violations for showing it again.
struct SmartActionDefinitionForm {
    var name = ""
    var description = ""
    var workflowID = ""
    var filter = ""
    var mutableFilter = ""
    /// The decision to set, as its short name; empty for none.
    var decision = ""
    var notes = ""
    var signOff = false
    var applyToAllRows = false

    /// The form as the browser sent it.
    init(_ fields: FormFields) {
        name = fields["name"] ?? ""
        description = fields["description"] ?? ""
        workflowID = fields["workflow_id"] ?? ""
        filter = fields["filter"] ?? ""
        mutableFilter = fields["mutable_filter"] ?? ""
        decision = fields["decision"] ?? ""
        notes = fields["notes"] ?? ""
        signOff = fields["sign_off"] == "yes"
        applyToAllRows = fields["apply_to_all_rows"] == "yes"
    }

    /// A saved definition's form.
    init(_ definition: SmartActionDefinition) {
        name = definition.name
        description = definition.description
        workflowID = definition.workflowID
        filter = definition.filter
        mutableFilter = definition.mutableFilter
        decision = definition.mutableFields.decision?.shortName ?? ""
        notes = definition.mutableFields.notes ?? ""
        signOff = definition.mutableFields.signedOffState == .signedOff
        applyToAllRows = definition.applyToAllRows
    }

    /// An empty form, for a new definition.
    init() {}

    /// The create or update body: every member, so an update replaces what the form shows.
    func input() throws -> SmartActionDefinition.Input {
        var fields: [String: Any] = [:]
        if !decision.isEmpty { fields["decision"] = decision }
        if !notes.isEmpty { fields["notes"] = notes }
        if signOff { fields["signed_off_state"] = SignedOffState.signedOff.rawValue }
        let body: [String: Any] = [
            "name": name, "description": description, "workflow_id": workflowID, "filter": filter, "mutable_filter": mutableFilter,
            "mutable_fields": fields, "apply_to_all_rows": applyToAllRows,
        ]
        return try WireJSON.decode(SmartActionDefinition.Input.self, from: try JSONSerialization.data(withJSONObject: body))
    }

    /// The form's values for the template, with `workflows` to choose from and `error`'s field
    /// violations beside their fields (a violation of no field shown above the form).
    func values(workflows: [ReviewWorkflow], error: APIError? = nil) -> [String: Any] {
        var errors: [String: String] = [:]
        for violation in error?.fieldViolations ?? [] {
            let field = violation.field.split(whereSeparator: { $0 == "." || $0 == "[" }).first.map(String.init) ?? ""
            let key = Self.fields.contains(field) ? field : "form"
            errors[key] = errors[key].map { $0 + " " + violation.description } ?? violation.description
        }
        if let error, error.fieldViolations.isEmpty { errors["form"] = error.message }
        var values: [String: Any] = [
            "name": name, "description": description, "filter": filter, "mutable_filter": mutableFilter, "notes": notes,
            "sign_off": signOff, "apply_to_all_rows": applyToAllRows,
            "workflows": [["id": "", "name": "Every workflow", "selected": workflowID.isEmpty] as [String: Any]]
                + workflows.map { ["id": $0.workflowID, "name": $0.name, "selected": $0.workflowID == workflowID] },
            "decisions": [["value": "", "label": "Leave as it is", "selected": decision.isEmpty] as [String: Any]]
                + ResultDecision.choices.map { ["value": $0.shortName, "label": $0.label, "selected": $0.shortName == decision] },
            "errors": errors,
        ]
        if !workflowID.isEmpty, !workflows.contains(where: { $0.workflowID == workflowID }) { values["unknown_workflow"] = workflowID }
        return values
    }

    /// The fields violations are shown beside.
    static let fields: Set<String> = ["name", "description", "workflow_id", "filter", "mutable_filter", "mutable_fields", "apply_to_all_rows"]
}
