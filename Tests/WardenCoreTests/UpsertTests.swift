import Testing
import WardenCore
import WardenTestSupport

@Suite struct UpsertTests {
    static let notes = Migration("test.0001_notes", [
        "CREATE TABLE notes (seq {serial}, name TEXT NOT NULL, body TEXT, size {bigint}, ratio DOUBLE PRECISION, ok {bool}, doc {json}, UNIQUE (name))",
    ])
    static let columns = ["name", "body", "size", "ratio", "ok", "doc"]
    static let upsert = Upsert(table: "notes", columns: columns, key: ["name"])
    static let insert = Upsert(table: "notes", columns: columns, key: [])

    /// Texts that COPY's text format must escape or could mistake for something else.
    static let bodies: [String?] = [
        "", "plain", "\\N", "back\\slash", "tab\there", "line\nbreak", "carriage\rreturn\r\n", "quote ' and \"",
        "ünïcødé ✓ 🦊", String(repeating: "long ", count: 20_000), nil,
    ]

    static func row(_ index: Int, body: String?) -> [DatabaseValue] {
        [
            .text("note \(index)"), body.map(DatabaseValue.text) ?? .null,
            index.isMultiple(of: 2) ? .integer(.max - Int64(index)) : .integer(.min + Int64(index)),
            .double(Double(index) * -1.5e-300), .boolean(index.isMultiple(of: 3)),
            index.isMultiple(of: 5) ? .null : .text(#"{"note": "tab\tand \\ ü \#(index)"}"#),
        ]
    }

    static func stored(_ database: Database) async throws -> [[DatabaseValue]] {
        try await database.rows(database.statement("SELECT name, body, size, ratio, ok, doc FROM notes ORDER BY seq")).map { row in
            var reader = row.reader()
            let name = try reader.text(), body = try reader.optionalText(), size = try reader.integer(), ratio = try reader.double()
            let ok = try reader.bool(), doc = try reader.optionalText()
            return [.text(name), body.map(DatabaseValue.text) ?? .null, .integer(size), .double(ratio), .boolean(ok), doc.map(DatabaseValue.text) ?? .null]
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func valuesComeBackAsSentInOrderAndAKeyUpdatesItsRow(_ kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + [Self.notes]) { database in
            let rows = (0..<12_000).map { Self.row($0, body: Self.bodies[$0 % Self.bodies.count]) }
            try await database.transaction { try await $0.execute(Self.upsert, rows: rows) }
            #expect(try await Self.stored(database) == rows)

            let changed = (0..<10).map { Self.row($0 * 1_000, body: "changed \($0)") }
            try await database.transaction { try await $0.execute(Self.upsert, rows: changed) }
            var expected = rows
            for index in 0..<10 { expected[index * 1_000] = changed[index] }
            #expect(try await Self.stored(database) == expected)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aFailedInsertWritesNothingAndTheNextWritesOnlyItsOwnRows(_ kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + [Self.notes]) { database in
            let duplicated = [Self.row(1, body: "first"), Self.row(2, body: "second"), Self.row(1, body: "again")]
            await #expect(throws: (any Error).self) {
                try await database.transaction { try await $0.execute(Self.insert, rows: duplicated) }
            }
            #expect(try await Self.stored(database).isEmpty)

            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await database.transaction { connection in
                    try await connection.execute(Self.insert, rows: [Self.row(3, body: "rolled back")])
                    throw Abandoned()
                }
            }
            #expect(try await Self.stored(database).isEmpty)

            let next = [Self.row(4, body: "kept")]
            try await database.transaction { try await $0.execute(Self.insert, rows: next) }
            #expect(try await Self.stored(database) == next)
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
    func outsideATransactionAPostgreSQLUpsertIsAllOrNothing() async throws {
        try await TestDatabase.with(.postgres, migrations: Database.coreMigrations + [Self.notes]) { database in
            let duplicated = [Self.row(1, body: "first"), Self.row(1, body: "again")]
            await #expect(throws: PostgresError.self) {
                try await database.read { try await $0.execute(Self.insert, rows: duplicated) }
            }
            #expect(try await Self.stored(database).isEmpty)
            let kept = [Self.row(2, body: "kept")]
            try await database.read { try await $0.execute(Self.upsert, rows: kept) }
            #expect(try await Self.stored(database) == kept)
        }
    }
}
