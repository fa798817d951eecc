/// Schema-less evaluation: every string compares case-insensitively (ASCII letters only).
///
/// - Paths: members are found by exact name, else ignoring ASCII case; `a.b` is the flat member
///   `"a.b"` if present, else member `b` of object `a`, or of each object in array `a`. A schema URN
///   prefix selects the member named by the URN when the record has one (extension schemas), else
///   the record itself (the core schema). Inside `attr[...]`, an element that is not an object is
///   the value of the path `value`.
/// - Arrays match when any element matches; inside `attr[...]` all conditions hold on one element.
/// - `eq`: strings equal ignoring ASCII case, or as instants when both are RFC 3339 timestamps;
///   numbers equal numerically; booleans equal, and a string `"true"`/`"false"` (any case) equals the
///   boolean. Values of different JSON types are simply not equal: no error. `ne` is `not eq`.
/// - `eq null` matches absent, null, an empty array, or an array with a null element.
/// - `pr` is false for absent, null, `""`, `[]` and `{}`.
/// - `co`/`sw`/`ew` match strings only; a literal that is not a string is an error.
/// - `gt`/`ge`/`lt`/`le` order numbers numerically, two RFC 3339 timestamps chronologically, other
///   strings by their folded UTF-8 bytes; different types never match. A boolean or null literal is
///   an error, and so is a boolean value met in the record.
extension FilterEvaluator {
    /// Rejects literals an operator cannot take, whatever the record.
    static func checkLiterals(_ expression: FilterExpression) throws(FilterError) {
        try expression.forEachComparison { (path, op, value) throws(FilterError) in
            let name = path.dottedName
            switch value {
            case .null where op != .eq && op != .ne:
                throw .nullOperand(op, field: name)
            case .boolean where op.isOrdering:
                throw .orderingOnBoolean(op, field: name)
            case .number where op.isSubstring, .boolean where op.isSubstring:
                throw .substringNeedsString(op, field: name)
            default:
                break
            }
        }
    }

    static func evaluate(_ expression: FilterExpression, in context: JSONValue) throws(FilterError) -> Bool {
        switch expression {
        case .and:
            for operand in expression.chainOperands(isAnd: true) where !(try evaluate(operand, in: context)) {
                return false
            }
            return true
        case .or:
            for operand in expression.chainOperands(isAnd: false) where try evaluate(operand, in: context) {
                return true
            }
            return false
        case .not(let inner):
            return !(try evaluate(inner, in: context))
        case .present(let path):
            return isPresent(value(of: path, in: context))
        case .comparison(let path, let op, let literal):
            return try compare(value(of: path, in: context), op, literal, path)
        case .valuePath(let path, let inner):
            switch value(of: path, in: context) {
            case .none, .null?:
                return false
            case .array(let elements)?:
                for element in elements where try evaluate(inner, in: element) { return true }
                return false
            case let value?:
                return try evaluate(inner, in: value)
            }
        }
    }

    // MARK: Paths

    private static func value(of path: AttributePath, in context: JSONValue) -> JSONValue? {
        var base = context
        if let schemaURN = path.schemaURN, let schema = context.member(schemaURN) { base = schema }
        guard case .object = base else {
            return path.subAttribute == nil && ByteText.equalIgnoringASCIICase(path.name, "value") ? base : nil
        }
        guard let subAttribute = path.subAttribute else { return base.member(path.name) }
        if let flat = base.member(path.dottedName) { return flat }
        switch base.member(path.name) {
        case .object(let object)?:
            return JSONValue.object(object).member(subAttribute)
        case .array(let elements)?:
            return .array(elements.compactMap { $0.member(subAttribute) })
        default:
            return nil
        }
    }

    // MARK: Comparisons

    private static func isPresent(_ value: JSONValue?) -> Bool {
        switch value {
        case .none, .null?: false
        case .string(let text)?: !text.isEmpty
        case .array(let elements)?: !elements.isEmpty
        case .object(let members)?: !members.isEmpty
        case .bool?, .number?: true
        }
    }

    private static func compare(
        _ value: JSONValue?, _ op: FilterOperator, _ literal: FilterValue, _ path: AttributePath
    ) throws(FilterError) -> Bool {
        switch op {
        case .eq: return equals(value, literal)
        case .ne: return !equals(value, literal)
        case .pr: return isPresent(value)
        case .co, .sw, .ew:
            guard case .string(let needle) = literal else { return false }
            let folded = ByteText.asciiLowercased(needle)
            return anyElement(value) { element in
                guard case .string(let text) = element else { return false }
                let haystack = ByteText.asciiLowercased(text)
                return switch op {
                case .co: ByteText.contains(haystack, folded)
                case .sw: ByteText.hasPrefix(haystack, folded)
                default: ByteText.hasSuffix(haystack, folded)
                }
            }
        case .gt, .ge, .lt, .le:
            return try anyElement(value) { (element) throws(FilterError) in
                guard let order = try order(element, literal, op, path) else { return false }
                return switch op {
                case .gt: order > 0
                case .ge: order >= 0
                case .lt: order < 0
                default: order <= 0
                }
            }
        }
    }

    private static func equals(_ value: JSONValue?, _ literal: FilterValue) -> Bool {
        if literal == .null {
            switch value {
            case .none, .null?: return true
            case .array(let elements)?: return elements.isEmpty || elements.contains(.null)
            default: return false
            }
        }
        return anyElement(value) { element in
            switch (element, literal) {
            case (.string(let text), .string(let other)):
                if let left = timestamp(text), let right = timestamp(other) { return left == right }
                return ByteText.equalIgnoringASCIICase(text, other)
            case (.number(let number), .number(let other)):
                return number == other
            case (.bool(let boolean), _):
                return FieldCatalog.boolean(literal) == boolean
            case (.string(let text), .boolean(let boolean)):
                return FieldCatalog.booleanText(text) == boolean
            default:
                return false
            }
        }
    }

    /// The sign of `element` compared with `literal`, or nil when they are of different types.
    private static func order(
        _ element: JSONValue, _ literal: FilterValue, _ op: FilterOperator, _ path: AttributePath
    ) throws(FilterError) -> Int? {
        switch (element, literal) {
        case (.bool, _):
            throw .orderingOnBoolean(op, field: path.dottedName)
        case (.number(let number), .number(let other)):
            return number < other ? -1 : number == other ? 0 : 1
        case (.string(let text), .string(let other)):
            if let left = timestamp(text), let right = timestamp(other) {
                return left < right ? -1 : left == right ? 0 : 1
            }
            let left = ByteText.asciiLowercased(text)
            let right = ByteText.asciiLowercased(other)
            return ByteText.less(left, right) ? -1 : ByteText.equal(left, right) ? 0 : 1
        default:
            return nil
        }
    }

    private static func timestamp(_ text: String) -> Timestamp? {
        guard text.utf8.count >= 20 else { return nil }
        return Timestamp(rfc3339: text)
    }

    /// Applies `test` to the value, or to each element of an array value; absent and null never match.
    private static func anyElement<Failure: Error>(
        _ value: JSONValue?, _ test: (JSONValue) throws(Failure) -> Bool
    ) throws(Failure) -> Bool {
        switch value {
        case .none, .null?:
            return false
        case .array(let elements)?:
            for element in elements where try test(element) { return true }
            return false
        case let value?:
            return try test(value)
        }
    }
}
