import Foundation
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// Keyset paging over a table with duplicate and NULL sort values: walking the pages yields exactly
/// the rows of one unpaged query, in the same order, on both databases.
@Suite struct ListRequestTests {
    static let migration = Migration("test.items", [
        "CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT NOT NULL, score {bigint}, created_at {bigint} NOT NULL, active {bool} NOT NULL)",
    ])

    static let spec = ListSpec(
        name: "items",
        catalog: FieldCatalog([
            CatalogField("name", type: .string, operators: [.eq, .co, .sw], sortable: true),
            CatalogField("score", type: .integer, operators: [.eq, .gt, .lt, .pr], sortable: true),
            CatalogField("created_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true, nullable: false),
            CatalogField("active", type: .boolean, operators: [.eq], sortable: true),
        ]),
        defaultOrder: "created_at desc",
        tiebreaker: CatalogField("id", type: .string, operators: [.eq], caseExact: true, nullable: false),
        maximumPageSize: 1000
    )

    static func seed(_ database: Database) async throws {
        try await database.transaction { sql in
            for index in 0..<137 {
                var insert = database.statement("INSERT INTO items (id, name, score, created_at, active) VALUES (")
                let score: Int64? = index % 4 == 0 ? nil : Int64(index % 9)
                insert.append(binds: [String(format: "id-%03d", (index * 37) % 137), ["b", "A", "c", "a"][index % 4], score, Int64(1_700_000_000_000_000_000 + Int64(index % 11) * 1_000_000_000), index % 3 == 0])
                insert.append(")")
                try await sql.execute(insert)
            }
        }
    }

    static func ids(_ database: Database, _ parameters: ListParameters, signer: PageTokenSigner) async throws -> (ids: [String], token: String) {
        let request = try ListRequest(spec, parameters, signer: signer)
        var select = database.statement("SELECT id\(request.sortKeyColumns) FROM items")
        try request.appendClauses(to: &select)
        let rows = try await database.rows(select)
        let page = try request.page(rows, signer: signer) { row in
            var reader = row.reader()
            return try reader.text()
        }
        return (page.values, page.hasMore ? page.nextPageToken : "")
    }

    @Test(arguments: TestDatabase.kinds)
    func pagingMatchesOneUnpagedQuery(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + [Self.migration]) { database in
            try await Self.seed(database)
            let signer = try await database.pageTokenSigner()
            let orders = ["name asc", "name desc", "score asc", "score desc", "score desc, name asc", "active desc, score asc", "created_at asc", "created_at asc, active desc", nil]
            let filters = [nil, #"name sw "a""#, "score gt 3 or not (score pr)"]
            for order in orders {
                for filter in filters {
                    let all = try await Self.ids(database, ListParameters(filter: filter, orderBy: order, pageSize: "1000"), signer: signer).ids
                    var paged: [String] = []
                    var token = ""
                    repeat {
                        let page = try await Self.ids(database, ListParameters(filter: filter, orderBy: order, pageSize: "7", pageToken: token), signer: signer)
                        paged += page.ids
                        token = page.token
                    } while !token.isEmpty
                    #expect(paged == all, "order \(order ?? "default"), filter \(filter ?? "none")")
                    #expect(Set(paged).count == paged.count)
                    if filter == nil { #expect(all.count == 137) }
                }
            }
        }
    }

    @Test func defaultOrderGetsTheTiebreaker() throws {
        let keys = try Self.spec.sortKeys(orderBy: nil)
        #expect(keys.map(\.canonical) == ["created_at desc", "id desc"])
        #expect(try Self.spec.sortKeys(orderBy: "NAME ASC, score").map(\.canonical) == ["name asc", "score asc", "id asc"])
    }

    @Test func orderByErrorsNameTheProblem() {
        #expect(throws: APIError.invalidArgument("order_by", "order_by names \"name\" twice")) {
            try Self.spec.sortKeys(orderBy: "name, name desc")
        }
        #expect(throws: APIError.self) { try Self.spec.sortKeys(orderBy: "name asc extra") }
        #expect(throws: APIError.self) { try Self.spec.sortKeys(orderBy: ",") }
    }
}
