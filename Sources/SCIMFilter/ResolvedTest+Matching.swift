extension ResolvedTest {
    /// How a record holds each type: a value of another JSON type counts as absent.
    func matches(_ record: JSONValue, element: String?) -> Bool {
        if onElement { return matches(text: element) }
        let value = record.field(field.name)
        switch field.type {
        case .string:
            guard case .string(let text) = value else { return matches(text: nil) }
            return matches(text: text)
        case .enumeration(let names):
            switch value {
            case .string(let text): return matches(text: text)
            case .number(let number):
                guard let index = number.exactInt64, names.indices.contains(Int(index)) else { return matches(text: nil) }
                return matches(text: names[Int(index)])
            default: return matches(text: nil)
            }
        case .integer, .double:
            guard case .number(let number) = value else { return matches(scalar: nil) }
            return matches(scalar: .double(number))
        case .boolean:
            guard case .bool(let boolean) = value else { return matches(scalar: nil) }
            return matches(scalar: .boolean(boolean))
        case .timestamp:
            guard case .string(let text) = value, let timestamp = Timestamp(rfc3339: text) else {
                return matches(scalar: nil)
            }
            return matches(scalar: .timestamp(timestamp.nanosecondsSinceEpoch))
        case .stringArray:
            let texts = Self.texts(value)
            switch condition {
            case .isNull: return texts?.isEmpty ?? true
            case .present: return !(texts?.isEmpty ?? true)
            case .compare: return texts?.contains { matches(text: $0) } ?? false
            }
        }
    }

    /// The strings of a string-array value (other elements are skipped), or nil when absent or null.
    static func texts(_ value: JSONValue?) -> [String]? {
        guard case .array(let elements) = value else { return nil }
        return elements.compactMap { element in
            if case .string(let text) = element { return text }
            return nil
        }
    }

    private func matches(text: String?) -> Bool {
        switch condition {
        case .isNull:
            return text == nil
        case .present:
            return !(text?.isEmpty ?? true)
        case .compare(let comparison, let operand):
            guard let text, case .text(let literal) = operand else { return false }
            let value = foldsCase ? ByteText.asciiLowercased(text) : text
            switch comparison {
            case .equal: return ByteText.equal(value, literal)
            case .greater: return ByteText.less(literal, value)
            case .greaterOrEqual: return !ByteText.less(value, literal)
            case .less: return ByteText.less(value, literal)
            case .lessOrEqual: return !ByteText.less(literal, value)
            case .contains: return ByteText.contains(value, literal)
            case .prefix: return ByteText.hasPrefix(value, literal)
            case .suffix: return ByteText.hasSuffix(value, literal)
            }
        }
    }

    private func matches(scalar: Operand?) -> Bool {
        switch condition {
        case .isNull:
            return scalar == nil
        case .present:
            return scalar != nil
        case .compare(let comparison, let operand):
            let order: Int
            switch (scalar, operand) {
            case (.double(let value), .integer(let literal)): order = Self.order(value, Double(literal))
            case (.double(let value), .double(let literal)): order = Self.order(value, literal)
            case (.timestamp(let value), .timestamp(let literal)): order = Self.order(value, literal)
            case (.boolean(let value), .boolean(let literal)): order = value == literal ? 0 : 1
            default: return false
            }
            switch comparison {
            case .equal: return order == 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .contains, .prefix, .suffix: return false
            }
        }
    }

    private static func order<T: Comparable>(_ value: T, _ literal: T) -> Int {
        value < literal ? -1 : value == literal ? 0 : 1
    }
}
