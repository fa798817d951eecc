/// A recursive-descent parser over the tokens of one filter.
///
/// Precedence is `not` > `and` > `or`, both binary operators left-associative. Recursion happens
/// only at `(` and `[`, and the nesting is checked before recursing, so no input can exhaust the stack.
/// Besides the nesting of the text, the parser bounds the nesting of the canonical form
/// (`FilterExpression.description`), so that every accepted filter's canonical text is accepted too.
struct Parser {
    /// An expression and the parenthesis nesting of its canonical text.
    private struct Node {
        var expression: FilterExpression
        var depth: Int

        var isChain: Bool {
            switch expression {
            case .and, .or: true
            default: false
            }
        }
    }

    private var lexer: Lexer
    private var token: Token
    private var previous: Token?
    private var openings = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) throws(FilterError) {
        var lexer = Lexer(bytes)
        token = try lexer.next()
        self.lexer = lexer
    }

    mutating func parse() throws(FilterError) -> FilterExpression {
        if token.kind == .end { throw FilterError(message: "filter is empty") }
        let node = try parseOr()
        switch token.kind {
        case .end:
            return node.expression
        case .rightParenthesis, .rightBracket:
            throw syntaxError("unexpected \(describe(token)) at column \(column(token))", at: token)
        default:
            throw syntaxError(
                "unexpected \(describe(token)) at column \(column(token)): expected \"and\", \"or\" or the end of the filter",
                at: token)
        }
    }

    // MARK: Grammar

    private mutating func parseOr() throws(FilterError) -> Node {
        var left = try parseAnd()
        while isKeyword(token, "or") {
            let op = token
            try advance()
            let right = try parseAnd()
            left = try combine(left, right, isAnd: false, at: op)
        }
        return left
    }

    private mutating func parseAnd() throws(FilterError) -> Node {
        var left = try parseFactor()
        while isKeyword(token, "and") {
            let op = token
            try advance()
            let right = try parseFactor()
            left = try combine(left, right, isAnd: true, at: op)
        }
        return left
    }

    private mutating func parseFactor() throws(FilterError) -> Node {
        switch token.kind {
        case .leftParenthesis:
            return try parseGroup(closing: .rightParenthesis)
        case .word:
            if isKeyword(token, "not") {
                var lookahead = lexer
                let next = try lookahead.next()
                if next.kind == .leftParenthesis {
                    let notToken = token
                    try advance()
                    let inner = try parseGroup(closing: .rightParenthesis)
                    return try wrap(inner, at: notToken) { .not($0) }
                }
                let namesAttribute = next.kind == .leftBracket || (next.kind == .word && op(next) != nil)
                if !namesAttribute {
                    throw syntaxError(
                        "expected \"(\" after \"not\" at column \(column(next)): write not (filter)", at: next)
                }
            }
            return try parseAttributeExpression()
        default:
            let expected = "an attribute, \"not\" or \"(\""
            if let previous {
                throw syntaxError(
                    "expected \(expected) after \(quoted(previous)) at column \(column(token))", at: token)
            }
            throw syntaxError("unexpected \(describe(token)) at column \(column(token)): expected \(expected)", at: token)
        }
    }

    /// `( filter )` or `[ filter ]`, with `token` at the opening bracket.
    private mutating func parseGroup(closing: Token.Kind) throws(FilterError) -> Node {
        let opening = token
        openings += 1
        if openings > Filter.maximumDepth { throw tooDeep(at: opening) }
        try advance()
        let inner = try parseOr()
        if token.kind != closing {
            let pair = closing == .rightParenthesis ? ("parentheses", "(", ")") : ("brackets", "[", "]")
            if token.kind == .end {
                throw syntaxError(
                    "unbalanced \(pair.0): \"\(pair.1)\" at column \(column(opening)) is never closed", at: opening)
            }
            throw syntaxError(
                "unexpected \(describe(token)) at column \(column(token)): expected \"and\", \"or\" or \"\(pair.2)\"",
                at: token)
        }
        openings -= 1
        try advance()
        return inner
    }

    /// `path op value`, `path pr` or `path[filter]`, with `token` at the path.
    private mutating func parseAttributeExpression() throws(FilterError) -> Node {
        let pathToken = token
        let path = try attributePath(pathToken)
        try advance()
        if token.kind == .leftBracket {
            let opening = token
            let inner = try parseGroup(closing: .rightBracket)
            return try wrap(inner, at: opening) { .valuePath(path, $0) }
        }
        guard token.kind == .word, let op = op(token) else {
            var message = "expected a comparison operator after \(quoted(pathToken)) at column \(column(token))"
            if token.kind == .word {
                message += ": \(quoted(token)) is not one of eq, ne, co, sw, ew, gt, ge, lt, le, pr"
            }
            throw syntaxError(message, at: token)
        }
        let opToken = token
        try advance()
        if op == .pr { return Node(expression: .present(path), depth: 0) }
        let value: FilterValue
        switch token.kind {
        case .string(let string): value = .string(string)
        case .number(let number): value = .number(number)
        case .word where isKeyword(token, "true"): value = .boolean(true)
        case .word where isKeyword(token, "false"): value = .boolean(false)
        case .word where isKeyword(token, "null"): value = .null
        default:
            var message = "expected a value after \(quoted(opToken)) at column \(column(token))"
            if token.kind == .word {
                message += ": strings are written in double quotes, as in \"\(lexer.text(token.start, token.end))\""
            }
            throw syntaxError(message, at: token)
        }
        try advance()
        return Node(expression: .comparison(path, op, value), depth: 0)
    }

    // MARK: Nodes

    private func combine(_ left: Node, _ right: Node, isAnd: Bool, at op: Token) throws(FilterError) -> Node {
        let continuesChain =
            switch left.expression {
            case .and: isAnd
            case .or: !isAnd
            default: false
            }
        let depth = max(continuesChain ? left.depth : left.depth + 1, right.depth + 1)
        if depth > Filter.maximumDepth { throw tooDeep(at: op) }
        let expression: FilterExpression = isAnd ? .and(left.expression, right.expression) : .or(left.expression, right.expression)
        return Node(expression: expression, depth: depth)
    }

    /// `not (inner)` or `path[inner]`: the brackets replace the parentheses of an `and`/`or` chain.
    private func wrap(
        _ inner: Node, at opening: Token, _ make: (FilterExpression) -> FilterExpression
    ) throws(FilterError) -> Node {
        let depth = inner.isChain ? inner.depth : inner.depth + 1
        if depth > Filter.maximumDepth { throw tooDeep(at: opening) }
        return Node(expression: make(inner.expression), depth: depth)
    }

    // MARK: Attribute paths

    /// Splits a word into `[urn:]name[.sub]` and checks each name: `ALPHA *(ALPHA / DIGIT / "-" / "_")` or `$ref`.
    private func attributePath(_ word: Token) throws(FilterError) -> AttributePath {
        let bytes = lexer.bytes
        var nameStart = word.start
        var schemaURN: String?
        var index = word.end
        while index > word.start {
            index -= 1
            if bytes[index] == UInt8(ascii: ":") {
                guard index - word.start >= 4, isKeyword(Token(kind: .word, start: word.start, end: word.start + 3), "urn"),
                    bytes[word.start + 3] == UInt8(ascii: ":")
                else {
                    throw invalidPath(word, "only a \"urn:\" schema URN may come before \":\"")
                }
                schemaURN = lexer.text(word.start, index)
                nameStart = index + 1
                break
            }
        }
        var dot: Int?
        for position in nameStart..<word.end where bytes[position] == UInt8(ascii: ".") {
            guard dot == nil else { throw invalidPath(word, "an attribute has at most one sub-attribute") }
            dot = position
        }
        let nameEnd = dot ?? word.end
        guard isAttributeName(nameStart, nameEnd) else { throw invalidPath(word, Self.nameRule) }
        var subAttribute: String?
        if let dot {
            guard isAttributeName(dot + 1, word.end) else { throw invalidPath(word, Self.nameRule) }
            subAttribute = lexer.text(dot + 1, word.end)
        }
        return AttributePath(schemaURN: schemaURN, name: lexer.text(nameStart, nameEnd), subAttribute: subAttribute)
    }

    private static let nameRule = "names start with a letter and contain only letters, digits, \"-\" and \"_\" (or are \"$ref\")"

    private func isAttributeName(_ start: Int, _ end: Int) -> Bool {
        guard start < end else { return false }
        let bytes = lexer.bytes
        if bytes[start] == UInt8(ascii: "$") {
            return isKeyword(Token(kind: .word, start: start + 1, end: end), "ref")
        }
        guard bytes[start].isLetter else { return false }
        for index in (start + 1)..<end {
            let byte = bytes[index]
            guard byte.isLetter || byte.isDigit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") else {
                return false
            }
        }
        return true
    }

    private func invalidPath(_ word: Token, _ reason: String) -> FilterError {
        syntaxError("invalid attribute path \(quoted(word)) at column \(column(word)): \(reason)", at: word)
    }

    // MARK: Tokens

    private mutating func advance() throws(FilterError) {
        previous = token
        token = try lexer.next()
    }

    /// Whether `token` is the word `keyword` (lower-case ASCII letters), in any case.
    private func isKeyword(_ token: Token, _ keyword: StaticString) -> Bool {
        guard token.kind == .word, token.end - token.start == keyword.utf8CodeUnitCount else { return false }
        let letters = keyword.utf8Start
        for offset in 0..<keyword.utf8CodeUnitCount where lexer.bytes[token.start + offset] | 0x20 != letters[offset] {
            return false
        }
        return true
    }

    private func op(_ token: Token) -> FilterOperator? {
        guard token.end - token.start == 2 else { return nil }
        let first = lexer.bytes[token.start] | 0x20
        let second = lexer.bytes[token.start + 1] | 0x20
        switch (first, second) {
        case (UInt8(ascii: "e"), UInt8(ascii: "q")): return .eq
        case (UInt8(ascii: "n"), UInt8(ascii: "e")): return .ne
        case (UInt8(ascii: "c"), UInt8(ascii: "o")): return .co
        case (UInt8(ascii: "s"), UInt8(ascii: "w")): return .sw
        case (UInt8(ascii: "e"), UInt8(ascii: "w")): return .ew
        case (UInt8(ascii: "g"), UInt8(ascii: "t")): return .gt
        case (UInt8(ascii: "g"), UInt8(ascii: "e")): return .ge
        case (UInt8(ascii: "l"), UInt8(ascii: "t")): return .lt
        case (UInt8(ascii: "l"), UInt8(ascii: "e")): return .le
        case (UInt8(ascii: "p"), UInt8(ascii: "r")): return .pr
        default: return nil
        }
    }

    // MARK: Errors

    private func column(_ token: Token) -> Int {
        lexer.column(token.start)
    }

    /// The token's text in double quotes, shortened if long.
    private func quoted(_ token: Token) -> String {
        var text = lexer.text(token.start, token.end)
        if text.count > 40 { text = text.prefix(40) + "…" }
        return "\"" + text + "\""
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: "end of the filter"
        case .string: "string " + String(quoted(token).dropFirst().dropLast())
        case .number: "number " + String(quoted(token).dropFirst().dropLast())
        default: quoted(token)
        }
    }

    private func syntaxError(_ message: String, at token: Token) -> FilterError {
        FilterError(message: message, column: column(token))
    }

    private func tooDeep(at token: Token) -> FilterError {
        syntaxError("filter nests deeper than \(Filter.maximumDepth) levels at column \(column(token))", at: token)
    }
}
