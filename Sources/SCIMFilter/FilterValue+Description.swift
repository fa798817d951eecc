extension FilterValue: CustomStringConvertible {
    /// The value as a filter literal: a JSON string (escaping `"`, `\` and control characters only),
    /// the shortest number text that reads back as the same `Double`, `true`, `false` or `null`.
    ///
    /// Non-finite numbers cannot be written in the language; they print as `nan`/`inf`, which does not parse.
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    func write(to text: inout String) {
        switch self {
        case .string(let string):
            Self.writeJSONString(string, to: &text)
        case .number(let number):
            text += Self.numberText(number)
        case .boolean(let boolean):
            text += boolean ? "true" : "false"
        case .null:
            text += "null"
        }
    }

    /// Integers below 10^16 in plain digits, anything else as Swift's shortest round-trip text (`1.5`, `1e+21`).
    static func numberText(_ number: Double) -> String {
        if number.magnitude < 1e16, let integer = number.exactInt64 {
            return integer == 0 && number.sign == .minus ? "-0" : String(integer)
        }
        let text = number.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func writeJSONString(_ string: String, to text: inout String) {
        text += "\""
        var clean = true
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean {
            text += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case "\u{08}": text += "\\b"
                case "\u{0C}": text += "\\f"
                case "\u{00}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.utf8.count) + hex
                default:
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
