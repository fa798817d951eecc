import SCIMFilter
import WardenCore

extension SmartActionDefinition {
    /// The longest name, workflow id and description accepted, in characters.
    static let maximumNameLength = 256
    static let maximumDescriptionLength = 4096

    /// Checks the definition as a whole: lengths, both filters against the result fields, something
    /// to set, and some way to match a row.
    public func validate() throws(APIError) {
        try Self.checkLength(name, "name", Self.maximumNameLength)
        try Self.checkLength(workflowID, "workflow_id", Self.maximumNameLength)
        try Self.checkLength(description, "description", Self.maximumDescriptionLength)
        let rowFilter = try ListRequest.parseFilter(filter, catalog: ResultFields.catalog)
        let stateFilter = try ListRequest.parseFilter(mutableFilter, catalog: ResultFields.mutableCatalog, parameter: "mutable_filter")
        if mutableFields.signedOffState == .notSignedOff {
            throw .invalidArgument(
                "mutable_fields.signed_off_state",
                "a smart action cannot undo a sign-off: it never changes signed-off rows; an admin reopens a row with results:force_update")
        }
        if mutableFields.isEmpty {
            throw .invalidArgument(
                "mutable_fields", "mutable_fields sets nothing; set at least one of decision, notes and signed_off_state")
        }
        if rowFilter == nil, stateFilter == nil, !applyToAllRows {
            throw .invalidArgument(
                "apply_to_all_rows",
                "this smart action can never match a row: filter and mutable_filter are both empty and apply_to_all_rows is false; "
                    + "give a filter, or set apply_to_all_rows to true to act on every row")
        }
    }

    private static func checkLength(_ text: String, _ field: String, _ maximum: Int) throws(APIError) {
        guard text.count > maximum else { return }
        throw .invalidArgument(field, "\(field) is \(text.count) characters long; the maximum is \(maximum)")
    }
}
