/// A comparison operator of the filter language; `pr` (present) takes no value.
public enum FilterOperator: String, CaseIterable, Hashable, Sendable {
    case eq, ne, co, sw, ew, gt, ge, lt, le, pr

    /// Whether the operator orders values (`gt`, `ge`, `lt`, `le`).
    public var isOrdering: Bool {
        switch self {
        case .gt, .ge, .lt, .le: true
        default: false
        }
    }

    /// Whether the operator matches part of a string (`co`, `sw`, `ew`).
    public var isSubstring: Bool {
        switch self {
        case .co, .sw, .ew: true
        default: false
        }
    }
}
