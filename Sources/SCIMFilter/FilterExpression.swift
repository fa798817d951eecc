/// A parsed SCIM filter (RFC 7644 §3.4.2.2).
///
/// `description` is the canonical text (see `FilterExpression+Description.swift`), and
/// `Filter.parse(expression.description) == expression` for every expression the parser produces.
public indirect enum FilterExpression: Hashable, Sendable {
    /// `path op value`; the operator is never `.pr` (that is `.present`).
    case comparison(AttributePath, FilterOperator, FilterValue)
    /// `path pr`.
    case present(AttributePath)
    /// `left and right`.
    case and(FilterExpression, FilterExpression)
    /// `left or right`.
    case or(FilterExpression, FilterExpression)
    /// `not (filter)`.
    case not(FilterExpression)
    /// `path[filter]`, as in `emails[type eq "work"]`: the inner paths are relative to each element of `path`.
    case valuePath(AttributePath, FilterExpression)
}
