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
            index.isMultiple(of: 2) ? .integer(.max - Int64(index)) : .integer(.min + Int64(index - 1)),
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
    func onPostgreSQLAFailedCopyOrInsertLeavesOnlyWhatLandedBefore() async throws {
        try await TestDatabase.with(.postgres, migrations: Database.coreMigrations + [Self.notes]) { database in
            let first = [Self.row(0, body: "first")]
            try await database.read { try await $0.execute(Self.insert, rows: first) }

            let notANumber = Self.row(1, body: "bad size").enumerated().map { $0.offset == 2 ? .text("not a number") : $0.element }
            await #expect { try await database.transaction { try await $0.execute(Self.insert, rows: [Self.row(2, body: nil), notANumber]) } } throws: {
                ($0 as? PostgresError)?.sqlState == "22P02"
            }
            await #expect { try await database.read { try await $0.execute(Self.insert, rows: [Self.row(3, body: nil), Self.row(0, body: "again")]) } } throws: {
                ($0 as? PostgresError)?.sqlState == "23505"
            }
            #expect(try await Self.stored(database) == first)

            let doubles: [Double] = [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
            let rows = doubles.enumerated().map { index, ratio in
                var row = Self.row(10 + index, body: "double")
                row[3] = .double(ratio)
                return row
            }
            try await database.read { try await $0.execute(Self.upsert, rows: rows) }
            let stored = try await Self.stored(database).dropFirst().map { row -> Double? in
                guard case .double(let ratio) = row[3] else { return nil }
                return ratio
            }
            #expect(stored.count == doubles.count)
            for (sent, back) in zip(doubles, stored) {
                #expect(back.map { $0.bitPattern == sent.bitPattern || ($0.isNaN && sent.isNaN) } == true, "\(sent) came back as \(String(describing: back))")
            }
        }
    }
}
