extension FilterExpression: CustomStringConvertible {
    /// The canonical text: lower-case operators and keywords, paths as written, JSON literals,
    /// every `and`/`or` group in parentheses (a left-nested chain of one operator shares one pair:
    /// `(a pr and b pr and c pr)`), `not (x)` and `path[x]`.
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .comparison(let path, let op, let value):
            text += path.description
            text += " "
            text += op.rawValue
            text += " "
            value.write(to: &text)
        case .present(let path):
            text += path.description
            text += " pr"
        case .and, .or:
            text += "("
            writeChain(to: &text)
            text += ")"
        case .not(let inner):
            text += "not ("
            inner.writeUnparenthesised(to: &text)
            text += ")"
        case .valuePath(let path, let inner):
            text += path.description
            text += "["
            inner.writeUnparenthesised(to: &text)
            text += "]"
        }
    }

    /// Writes the expression; an `and`/`or` chain without its enclosing parentheses.
    private func writeUnparenthesised(to text: inout String) {
        switch self {
        case .and, .or: writeChain(to: &text)
        default: write(to: &text)
        }
    }

    private func writeChain(to text: inout String) {
        let isAnd = if case .and = self { true } else { false }
        let separator = isAnd ? " and " : " or "
        for (index, operand) in chainOperands(isAnd: isAnd).enumerated() {
            if index > 0 { text += separator }
            operand.write(to: &text)
        }
    }
}
