/// A literal value in a filter comparison: a JSON string, number, boolean or `null`.
public enum FilterValue: Hashable, Sendable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    case null
}
