import Foundation
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// The SQL compiler and the in-memory evaluator agree: for random filters over a catalog with every
/// field type, the rows the database returns are exactly the records the evaluator matches.
@Suite struct FilterSQLAgreementTests {
    static let everyOperator: Set<FilterOperator> = [.eq, .ne, .co, .sw, .ew, .gt, .ge, .lt, .le, .pr]

    static let catalog = FieldCatalog([
        CatalogField("name", type: .string, operators: everyOperator),
        CatalogField("code", type: .string, operators: everyOperator, caseExact: true),
        CatalogField("count", type: .integer, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr]),
        CatalogField("ratio", type: .double, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr]),
        CatalogField("active", type: .boolean, operators: [.eq, .ne, .pr]),
        CatalogField("seen_at", type: .timestamp, operators: [.eq, .ne, .gt, .ge, .lt, .le, .pr]),
        CatalogField("state", type: .enumeration(["INITIAL", "RUNNING", "COMPLETED", "ERRORED"]), operators: [.eq, .ne, .pr]),
        CatalogField("tags", type: .stringArray, operators: [.eq, .ne, .co, .sw, .ew, .pr]),
        CatalogField("owner.email", column: "owner_email", type: .string, operators: everyOperator),
    ])

    static let migration = Migration("test.records", [
        """
        CREATE TABLE records (
            id {bigint} PRIMARY KEY, name TEXT, code TEXT, count {bigint}, ratio DOUBLE PRECISION,
            active {bool}, seen_at {bigint}, state TEXT, tags TEXT, owner_email TEXT
        )
        """,
    ])

    static let recordCount = 200
    static let filterCount = 60

    @Test(arguments: TestDatabase.kinds)
    func compilerAgreesWithEvaluator(kind: DatabaseKind) async throws {
        var generator = FilterGenerator(catalog: Self.catalog, seed: 0x5EED_0000 + (kind == .postgres ? 1 : 0))
        let records = (0..<Self.recordCount).map { _ in generator.record() }
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + [Self.migration]) { database in
            try await Self.insert(records, into: database)
            let compiler = SQLCompiler(catalog: Self.catalog, dialect: kind.filterDialect)
            let evaluator = FilterEvaluator(catalog: Self.catalog)
            var pairs = 0
            var matched = 0
            for _ in 0..<Self.filterCount {
                let filter = generator.expression()
                let expected = try Set(records.indices.filter { try evaluator.matches(filter, .object(records[$0])) })
                var select = database.statement("SELECT id FROM records WHERE ")
                select.append(try compiler.compile(filter, firstPlaceholder: select.nextPlaceholder))
                let query = select
                let rows = try await database.rows(query)
                let actual = Set(try rows.map { row in
                    var reader = row.reader()
                    return Int(try reader.integer())
                })
                #expect(actual == expected, "filter: \(filter)\nSQL: \(query.sql)\nonly in SQL: \(actual.subtracting(expected).sorted().prefix(5).map { records[$0] })\nonly in evaluator: \(expected.subtracting(actual).sorted().prefix(5).map { records[$0] })")
                pairs += records.count
                matched += expected.count
            }
            #expect(pairs >= 10_000)
            // The generator must produce filters that match something, or agreement proves little.
            #expect(matched > pairs / 20)
        }
    }

    static func insert(_ records: [[String: JSONValue]], into database: Database) async throws {
        try await database.transaction { sql in
            for (index, record) in records.enumerated() {
                var insert = database.statement("INSERT INTO records (id, name, code, count, ratio, active, seen_at, state, tags, owner_email) VALUES (")
                let values: [any DatabaseValueConvertible] = [
                    Int64(index),
                    record["name"]?.string,
                    record["code"]?.string,
                    record["count"]?.number.map { Int64($0) },
                    record["ratio"]?.number,
                    record["active"]?.bool,
                    record["seen_at"]?.string.flatMap { Timestamp(rfc3339: $0)?.nanosecondsSinceEpoch },
                    record["state"]?.string,
                    record["tags"]?.arrayText,
                    record["owner.email"]?.string,
                ]
                insert.append(binds: values)
                insert.append(")")
                try await sql.execute(insert)
            }
        }
    }
}

private extension JSONValue {
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// An array as JSON text, the stored form of a multi-valued column.
    var arrayText: String? {
        guard case .array = self else { return nil }
        return jsonText
    }
}
