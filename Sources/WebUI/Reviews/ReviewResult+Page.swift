import AccessReviews
import SCIMFilter
import WardenCore

extension ReviewResult {
    /// The row as the Review page's table shows it.
    var tableValues: [String: Any] {
        [
            "result_id": String(resultID),
            "identity": Self.text(Self.member(source, "name") ?? Self.member(source, "email") ?? Self.member(source, "id")),
            "identity_detail": Self.text(Self.member(source, "email")),
            "resource": Self.text(Self.member(destination, "name") ?? Self.member(destination, "id")),
            "resource_type": Self.text(Self.member(destination, "type")),
            "permissions": concretePermissions.joined(separator: ", "),
            "abstract_permissions": abstractPermissions.joined(separator: ", "),
            "decision": decision.rawValue,
            "decision_label": decision.label,
            "notes": notes,
            "signed_off": signedOffState == .signedOff,
            "reviewers": reviewers.map(\.email).joined(separator: ", "),
            "decision_choices": ResultDecision.choices.map {
                ["value": $0.shortName, "label": $0.label, "selected": $0 == decision] as [String: Any]
            },
        ]
    }

    /// Everything the row's own page shows: the table's values, every property, and the action log.
    var detailValues: [String: Any] {
        var values = tableValues
        values["source"] = Self.properties(source)
        values["destination"] = Self.properties(destination)
        if let signedOffAt { values["signed_off_at"] = signedOffAt.pageValue }
        if let signedOffBy { values["signed_off_by"] = signedOffBy.email.isEmpty ? signedOffBy.name : signedOffBy.email }
        if let updatedAt { values["updated_at"] = updatedAt.pageValue }
        if let updatedBy { values["updated_by"] = updatedBy.email.isEmpty ? updatedBy.name : updatedBy.email }
        values["log"] = actionLog.entries.map(\.pageValues)
        values["has_log"] = !actionLog.entries.isEmpty
        return values
    }

    /// An object's members, sorted by name, as name–text pairs.
    private static func properties(_ object: JSONValue) -> [[String: String]] {
        guard case .object(let members) = object else { return [] }
        return members.keys.sorted().map { ["name": $0, "value": text(members[$0])] }
    }

    /// The member `name` of an object; nil when absent or when `object` is not an object.
    private static func member(_ object: JSONValue, _ name: String) -> JSONValue? {
        guard case .object(let members) = object else { return nil }
        return members[name]
    }

    /// A property's value as text: a string as it is, anything else as JSON.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case let value?: value.jsonText
        }
    }
}

extension ActionLogEntry {
    /// The entry as a row of the action log table.
    var pageValues: [String: Any] {
        var values: [String: Any] = [
            "action": action.rawValue, "user": user.email.isEmpty ? user.name : user.email, "time": time.pageValue, "note": note,
        ]
        if let decision = decisionDetail?.decision { values["decision"] = decision.label }
        if let signedOffState { values["signed_off_state"] = signedOffState.rawValue }
        if let reviewerDetail { values["reviewers"] = reviewerDetail.newReviewers.map(\.email).joined(separator: ", ") }
        if let smartActionName { values["smart_action"] = smartActionName }
        if let smartActionBatchID { values["batch_id"] = smartActionBatchID }
        return values
    }
}

extension ResultDecision {
    /// The decisions a reviewer can choose, in the order a form lists them.
    static let choices: [ResultDecision] = [.noDecision, .accepted, .rejected, .fixed]

    /// The name without `RESULT_DECISION_` (`ACCEPTED`), as forms send it and the API reads it.
    var shortName: String {
        String(rawValue.dropFirst("RESULT_DECISION_".count))
    }

    /// The decision in words.
    var label: String {
        switch self {
        case .unknown: "Unknown"
        case .noDecision: "No decision"
        case .accepted: "Accepted"
        case .rejected: "Rejected"
        case .fixed: "Fixed"
        }
    }
}
