// libFuzzer entry point for the filter parser, compiled together with Sources/SCIMFilter/*.swift
// by scripts/fuzz-filter.sh (one module, so no import).
//
// Every input must either be rejected with a FilterError or parse into an expression whose canonical
// text parses back to the same expression (unless the canonical text exceeds the length limit).
// Validation, SQL compilation and evaluation of whatever parses must not crash either.

private let catalog = FieldCatalog([
    CatalogField("state", type: .enumeration(["PENDING", "RUNNING", "ERRORED"]), operators: [.eq, .ne, .co]),
    CatalogField("name", type: .string, operators: Set(FilterOperator.allCases)),
    CatalogField("code", type: .string, operators: Set(FilterOperator.allCases), caseExact: true),
    CatalogField("started_at", type: .timestamp, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr]),
    CatalogField("active", type: .boolean, operators: [.eq, .ne, .pr]),
    CatalogField("count", type: .integer, operators: [.eq, .gt, .le]),
    CatalogField("score", type: .double, operators: [.eq, .lt]),
    CatalogField("tags", type: .stringArray, operators: Set(FilterOperator.allCases)),
])
private let compilers = [
    SQLCompiler(catalog: catalog, dialect: SQLiteDialect()),
    SQLCompiler(catalog: catalog, dialect: PostgreSQLDialect()),
]
private let record: JSONValue = [
    "state": "ERRORED", "name": "Café 100%", "code": "A_b", "started_at": "2026-01-01T00:00:00Z", "active": true,
    "count": 3, "score": 0.5, "tags": ["x", "É"], "emails": [["type": "work", "value": "a@b.c"]],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? Filter.parse(text) else { return 0 }
    let printed = expression.description
    if printed.utf8.count <= Filter.maximumLength {
        guard let reparsed = try? Filter.parse(printed) else {
            fatalError("canonical text does not parse: \(printed.debugDescription) from \(text.debugDescription)")
        }
        precondition(reparsed == expression, "round trip changed \(text.debugDescription) via \(printed.debugDescription)")
        precondition(reparsed.description == printed, "printing is not idempotent for \(printed.debugDescription)")
    }
    _ = try? FilterEvaluator().matches(expression, record)
    _ = try? FilterEvaluator(catalog: catalog).matches(expression, record)
    for compiler in compilers { _ = try? compiler.compile(expression) }
    return 0
}
