extension FieldCatalog {
    /// Checks a filter against the catalog: every field known, every operator allowed, every literal of
    /// the field's type (enumeration names, RFC 3339 timestamps, integers...), value paths only on arrays.
    ///
    /// A schema URN prefix on a path is ignored: fields are matched by their dotted name.
    public func validate(_ expression: FilterExpression) throws(FilterError) {
        _ = try resolve(expression)
    }

    /// Validates and converts a filter into the form the evaluator and the SQL compiler share.
    func resolve(_ expression: FilterExpression, within array: CatalogField? = nil) throws(FilterError) -> ResolvedFilter {
        switch expression {
        case .and, .or:
            let isAnd = if case .and = expression { true } else { false }
            var operands: [ResolvedFilter] = []
            for operand in expression.chainOperands(isAnd: isAnd) {
                operands.append(try resolve(operand, within: array))
            }
            return isAnd ? .all(operands) : .any(operands)
        case .not(let inner):
            return .not(try resolve(inner, within: array))
        case .present(let path) where array == nil && isAbsentMember(path):
            return .constant(false)
        case .comparison(let path, let op, let value) where array == nil && isAbsentMember(path):
            try FilterEvaluator.checkLiterals(expression)
            return .constant(value == .null ? op == .eq : op == .ne)
        case .valuePath(let path, let inner) where array == nil && isAbsentMember(path):
            try FilterEvaluator.checkLiterals(inner)
            return .constant(false)
        case .present(let path):
            let (field, onElement) = try target(path, within: array)
            try checkOperator(.pr, on: field)
            return .test(ResolvedTest(field: field, onElement: onElement, condition: .present, foldsCase: false))
        case .comparison(let path, let op, let value):
            let (field, onElement) = try target(path, within: array)
            try checkOperator(op, on: field)
            return try comparison(field, onElement: onElement, op, value)
        case .valuePath(let path, let inner):
            if let array {
                throw FilterError(
                    message: "value filters cannot nest: \"\(path)[...]\" is inside \"\(array.name)[...]\"",
                    field: array.name)
            }
            let field = try field(for: path)
            guard field.type == .stringArray else {
                throw FilterError(
                    message: "field \"\(field.name)\" is not multi-valued; \"\(field.name)[...]\" needs a multi-valued field",
                    field: field.name)
            }
            return .elements(field, try resolve(inner, within: field))
        }
    }

    // MARK: Fields and operators

    /// Whether `path` is a member of an open object that the catalog does not list.
    private func isAbsentMember(_ path: AttributePath) -> Bool {
        field(named: path.dottedName) == nil && isOpenMember(path)
    }

    private func target(_ path: AttributePath, within array: CatalogField?) throws(FilterError) -> (CatalogField, Bool) {
        guard let array else { return (try field(for: path), false) }
        guard path.subAttribute == nil, ByteText.equalIgnoringASCIICase(path.name, "value") else {
            throw FilterError(
                message: "inside \"\(array.name)[...]\" only \"value\" can be filtered, not \"\(path.dottedName)\"",
                field: array.name)
        }
        return (array, true)
    }

    private func field(for path: AttributePath) throws(FilterError) -> CatalogField {
        if let field = field(named: path.dottedName) { return field }
        if let subAttribute = path.subAttribute, let parent = field(named: path.name) {
            throw FilterError(
                message: "field \"\(parent.name)\" has no sub-attribute \"\(subAttribute)\"", field: parent.name)
        }
        let names = (fields.map(\.name) + openObjects.map { "\($0).*" }).joined(separator: ", ")
        throw FilterError(
            message: "unknown field \"\(path.dottedName)\"; filterable fields are: \(names)", field: path.dottedName)
    }

    private func checkOperator(_ op: FilterOperator, on field: CatalogField) throws(FilterError) {
        guard !field.operators.contains(op) else { return }
        let allowed = FilterOperator.allCases.filter(field.operators.contains).map(\.rawValue)
        throw FilterError(
            message: "field \"\(field.name)\" does not support operator \"\(op.rawValue)\"; allowed: "
                + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")),
            field: field.name)
    }

    // MARK: Literals

    private func comparison(
        _ field: CatalogField, onElement: Bool, _ op: FilterOperator, _ value: FilterValue
    ) throws(FilterError) -> ResolvedFilter {
        func test(_ condition: ResolvedTest.Condition, foldsCase: Bool = false) -> ResolvedFilter {
            let test = ResolvedFilter.test(
                ResolvedTest(field: field, onElement: onElement, condition: condition, foldsCase: foldsCase))
            return op == .ne ? .not(test) : test
        }
        let name = field.name
        if value == .null {
            guard op == .eq || op == .ne else { throw .nullOperand(op, field: name) }
            return test(.isNull)
        }
        let comparison: ResolvedTest.Comparison =
            switch op {
            case .gt: .greater
            case .ge: .greaterOrEqual
            case .lt: .less
            case .le: .lessOrEqual
            case .co: .contains
            case .sw: .prefix
            case .ew: .suffix
            case .eq, .ne, .pr: .equal
            }
        let type = onElement ? .string : field.type
        switch type {
        case .string, .stringArray:
            let text = try text(value, field)
            return test(.compare(comparison, .text(field.caseExact ? text : ByteText.asciiLowercased(text))),
                foldsCase: !field.caseExact)
        case .enumeration(let names):
            if op.isOrdering {
                throw FilterError(
                    message: "operator \"\(op.rawValue)\" cannot order the values of enumeration field \"\(name)\"",
                    field: name)
            }
            if op.isSubstring {
                let text = try text(value, field)
                return test(.compare(comparison, .text(field.caseExact ? text : ByteText.asciiLowercased(text))),
                    foldsCase: !field.caseExact)
            }
            return test(.compare(.equal, .text(try enumerationName(value, names, field))))
        case .integer:
            try checkNotSubstring(op, field, "integers")
            guard case .number(let number) = value, let integer = number.exactInt64 else {
                throw typeMismatch(field, "an integer", value)
            }
            return test(.compare(comparison, .integer(integer)))
        case .double:
            try checkNotSubstring(op, field, "numbers")
            guard case .number(let number) = value else { throw typeMismatch(field, "a number", value) }
            return test(.compare(comparison, .double(number)))
        case .boolean:
            if op.isOrdering { throw .orderingOnBoolean(op, field: name) }
            try checkNotSubstring(op, field, "booleans")
            guard let boolean = Self.boolean(value) else { throw typeMismatch(field, "true or false", value) }
            return test(.compare(comparison, .boolean(boolean)))
        case .timestamp:
            try checkNotSubstring(op, field, "timestamps")
            guard case .string(let text) = value, let timestamp = Timestamp(rfc3339: text) else {
                throw typeMismatch(field, "an RFC 3339 timestamp such as \"2026-01-02T03:04:05Z\"", value)
            }
            return test(.compare(comparison, .timestamp(timestamp.nanosecondsSinceEpoch)))
        }
    }

    private func text(_ value: FilterValue, _ field: CatalogField) throws(FilterError) -> String {
        guard case .string(let text) = value else { throw typeMismatch(field, "a string", value) }
        return text
    }

    private func checkNotSubstring(_ op: FilterOperator, _ field: CatalogField, _ holds: String) throws(FilterError) {
        guard op.isSubstring else { return }
        throw FilterError(
            message: "operator \"\(op.rawValue)\" only matches text; field \"\(field.name)\" holds \(holds)",
            field: field.name)
    }

    private func typeMismatch(_ field: CatalogField, _ expected: String, _ value: FilterValue) -> FilterError {
        FilterError(message: "field \"\(field.name)\" expects \(expected), got \(value)", field: field.name)
    }

    /// `true`/`false`, or a string spelling one of them in any case.
    static func boolean(_ value: FilterValue) -> Bool? {
        switch value {
        case .boolean(let boolean): boolean
        case .string(let text): booleanText(text)
        default: nil
        }
    }

    static func booleanText(_ text: String) -> Bool? {
        if ByteText.equalIgnoringASCIICase(text, "true") { return true }
        if ByteText.equalIgnoringASCIICase(text, "false") { return false }
        return nil
    }

    /// The canonical name for an enumeration literal: a name in any case, or its number.
    private func enumerationName(_ value: FilterValue, _ names: [String], _ field: CatalogField) throws(FilterError) -> String {
        switch value {
        case .string(let text):
            if let name = names.first(where: { ByteText.equal($0, text) })
                ?? names.first(where: { ByteText.equalIgnoringASCIICase($0, text) })
            {
                return name
            }
            if let index = Int(text), names.indices.contains(index) { return names[index] }
        case .number(let number):
            if let index = number.exactInt64, names.indices.contains(Int(index)) { return names[Int(index)] }
        default:
            break
        }
        throw FilterError(
            message: "unknown value \(value) for field \"\(field.name)\"; allowed: \(names.joined(separator: ", "))",
            field: field.name)
    }
}
