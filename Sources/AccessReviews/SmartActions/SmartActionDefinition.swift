import WardenCore

/// A saved, filter-based bulk action that reviewers apply to a certification's result rows
/// (Veza's smart action definition): the rows it selects and the fields it sets.
public struct SmartActionDefinition: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    /// The review workflow it belongs to; empty for a global definition, usable in every workflow.
    public var workflowID: String
    /// A filter over the rows' `source.*`, `destination.*` and permissions; empty for none.
    public var filter: String
    /// What the action sets in each selected row.
    public var mutableFields: MutableFields
    /// A filter over the reviewer-owned fields (decision, sign-off, notes); empty for none.
    public var mutableFilter: String
    /// With both filters empty, whether the action applies to every row (otherwise it could match none).
    public var applyToAllRows: Bool

    public init(
        id: String, name: String = "", description: String = "", workflowID: String = "", filter: String = "",
        mutableFields: MutableFields = MutableFields(), mutableFilter: String = "", applyToAllRows: Bool = false
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.workflowID = workflowID
        self.filter = filter
        self.mutableFields = mutableFields
        self.mutableFilter = mutableFilter
        self.applyToAllRows = applyToAllRows
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case name
        case description
        case workflowID = "workflow_id"
        case filter
        case mutableFields = "mutable_fields"
        case mutableFilter = "mutable_filter"
        case applyToAllRows = "apply_to_all_rows"
    }
}
