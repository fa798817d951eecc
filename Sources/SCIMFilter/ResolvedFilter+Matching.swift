extension ResolvedFilter {
    /// Whether `record` (an object keyed by wire names) satisfies the filter; `element` is the current
    /// element inside `field[...]`.
    func matches(_ record: JSONValue, element: String? = nil) -> Bool {
        switch self {
        case .all(let operands):
            return operands.allSatisfy { $0.matches(record, element: element) }
        case .any(let operands):
            return operands.contains { $0.matches(record, element: element) }
        case .not(let inner):
            return !inner.matches(record, element: element)
        case .test(let test):
            return test.matches(record, element: element)
        case .constant(let outcome):
            return outcome
        case .elements(let field, let inner):
            return ResolvedTest.texts(record.field(field.name))?.contains { inner.matches(record, element: $0) } ?? false
        }
    }
}
