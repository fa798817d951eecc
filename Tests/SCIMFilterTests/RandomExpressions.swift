import SCIMFilter

/// Random filter expressions over arbitrary paths and literals, for the printer property and the fuzzer.
enum RandomExpressions {
    static let names = [
        "a", "userName", "NAME", "emails", "value", "type", "x-1", "a_b", "$ref", "and", "or", "not", "NOT", "pr",
        "eq", "true", "null", "urn",
    ]
    static let schemas = [
        "urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ]
    static let scalars: [Unicode.Scalar] = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "ß", "\u{301}", "€", "🙂",
        "\u{2028}", "\u{FEFF}", "(", ")", "[", "]", "%", "_",
    ]

    static func expression(depth: Int, using random: inout some RandomNumberGenerator) -> FilterExpression {
        if depth == 0 || Int.random(in: 0..<3, using: &random) == 0 { return leaf(using: &random) }
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return .and(expression(depth: depth - 1, using: &random), expression(depth: depth - 1, using: &random))
        case 1: return .or(expression(depth: depth - 1, using: &random), expression(depth: depth - 1, using: &random))
        case 2: return .not(expression(depth: depth - 1, using: &random))
        case 3: return .valuePath(path(using: &random), expression(depth: depth - 1, using: &random))
        default: return leaf(using: &random)
        }
    }

    static func leaf(using random: inout some RandomNumberGenerator) -> FilterExpression {
        let op = FilterOperator.allCases.randomElement(using: &random)!
        if op == .pr { return .present(path(using: &random)) }
        return .comparison(path(using: &random), op, value(using: &random))
    }

    static func path(using random: inout some RandomNumberGenerator) -> AttributePath {
        AttributePath(
            schemaURN: Bool.random(using: &random) ? nil : schemas.randomElement(using: &random),
            name: names.randomElement(using: &random)!,
            subAttribute: Bool.random(using: &random) ? nil : names.randomElement(using: &random))
    }

    static func value(using random: inout some RandomNumberGenerator) -> FilterValue {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return .null
        case 1: return .boolean(Bool.random(using: &random))
        case 2: return .number(number(using: &random))
        default: return .string(string(using: &random))
        }
    }

    static func number(using random: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return Double(Int.random(in: -1000...1000, using: &random))
        case 1: return Double.random(in: -1e6...1e6, using: &random)
        case 2: return Double(sign: .plus, exponent: Int.random(in: -1070...1020, using: &random), significand: 1.5)
        case 3: return [0, -0.0, 1e15, 1e16, 1e21, 123_456_789_012_345_680, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
            .randomElement(using: &random)!
        case 4: return -Double.random(in: 0...1, using: &random)
        default: return Double(Int64.random(in: .min ... .max, using: &random))
        }
    }

    static func string(using random: inout some RandomNumberGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            text.unicodeScalars.append(scalars.randomElement(using: &random)!)
        }
        return text
    }
}
