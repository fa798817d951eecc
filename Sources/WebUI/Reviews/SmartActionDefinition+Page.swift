import AccessReviews

extension SmartActionDefinition {
    /// The definition as pages show it: what it selects and what it sets, in words.
    var pageValues: [String: Any] {
        var sets: [String] = []
        if let decision = mutableFields.decision { sets.append("decision: \(decision.label)") }
        if let notes = mutableFields.notes { sets.append("notes: “\(notes)”") }
        if mutableFields.signedOffState == .signedOff { sets.append("signs off") }
        var values: [String: Any] = [
            "id": id, "name": name.isEmpty ? id : name, "filter": filter, "mutable_filter": mutableFilter, "apply_to_all_rows": applyToAllRows,
            "has_filter": !filter.isEmpty, "has_mutable_filter": !mutableFilter.isEmpty, "sets": sets.joined(separator: "; "),
        ]
        if !description.isEmpty { values["description"] = description }
        return values
    }
}
