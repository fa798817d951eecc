extension FilterExpression {
    /// The operands of a left-nested chain of `and` (`isAnd`) or `or`: `((a and b) and c)` gives `[a, b, c]`.
    ///
    /// Walking the left spine iteratively keeps recursion bounded by the filter's nesting, not by
    /// the length of a chain such as `a pr and b pr and ... and z pr`.
    func chainOperands(isAnd: Bool) -> [FilterExpression] {
        var operands: [FilterExpression] = []
        var node = self
        while true {
            switch node {
            case .and(let left, let right) where isAnd:
                operands.append(right)
                node = left
            case .or(let left, let right) where !isAnd:
                operands.append(right)
                node = left
            default:
                operands.append(node)
                operands.reverse()
                return operands
            }
        }
    }

    /// Calls `body` with every comparison in the expression, including those inside value paths, without recursion.
    func forEachComparison(
        _ body: (AttributePath, FilterOperator, FilterValue) throws(FilterError) -> Void
    ) throws(FilterError) {
        var pending = [self]
        while let node = pending.popLast() {
            switch node {
            case .comparison(let path, let op, let value):
                try body(path, op, value)
            case .present:
                break
            case .and(let left, let right), .or(let left, let right):
                pending.append(right)
                pending.append(left)
            case .not(let inner), .valuePath(_, let inner):
                pending.append(inner)
            }
        }
    }
}
