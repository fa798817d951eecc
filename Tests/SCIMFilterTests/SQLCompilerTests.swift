import SCIMFilter
import Testing

/// SQL text and binds on SQLite and PostgreSQL.
@Suite struct SQLCompilerTests {
    private let sqlite = SQLCompiler(catalog: TestCatalog.catalog, dialect: SQLiteDialect())
    private let postgres = SQLCompiler(catalog: TestCatalog.catalog, dialect: PostgreSQLDialect())

    private func compile(_ compiler: SQLCompiler, _ filter: String, from first: Int = 1) throws -> SQLPredicate {
        try compiler.compile(Filter.parse(filter), firstPlaceholder: first)
    }

    @Test func threeClauseFilter() throws {
        let filter = #"state eq "ERRORED" and action_type eq "sync_identities" and started_at ge "2026-01-01T00:00:00Z""#
        let binds: [SQLBind] = [.text("ERRORED"), .text("SYNC_IDENTITIES"), .integer(1_767_225_600_000_000_000)]
        #expect(
            try compile(sqlite, filter)
                == SQLPredicate(
                    sql: "((state IS NOT NULL AND state = ?) AND (action_type IS NOT NULL AND action_type = ?)"
                        + " AND (started_at_ns IS NOT NULL AND started_at_ns >= ?))",
                    binds: binds))
        #expect(
            try compile(postgres, filter)
                == SQLPredicate(
                    sql: "((state IS NOT NULL AND state = $1) AND (action_type IS NOT NULL AND action_type = $2)"
                        + " AND (started_at_ns IS NOT NULL AND started_at_ns >= $3))",
                    binds: binds))
    }

    @Test func caseInsensitiveStrings() throws {
        #expect(
            try compile(sqlite, #"action_name eq "Sync""#)
                == SQLPredicate(sql: "(action_name IS NOT NULL AND lower(action_name) = ?)", binds: [.text("sync")]))
        #expect(
            try compile(postgres, #"action_name eq "Sync""#)
                == SQLPredicate(
                    sql: #"(action_name IS NOT NULL AND lower((action_name) COLLATE "C") = $1)"#, binds: [.text("sync")]))
        #expect(
            try compile(sqlite, #"action_name gt "ÉtÉ""#)
                == SQLPredicate(sql: "(action_name IS NOT NULL AND lower(action_name) > ?)", binds: [.text("ÉtÉ")]))
        #expect(
            try compile(postgres, #"action_name le "M""#)
                == SQLPredicate(sql: #"(action_name IS NOT NULL AND lower((action_name) COLLATE "C") <= $1)"#, binds: [.text("m")]))
    }

    @Test func caseExactStrings() throws {
        #expect(
            try compile(sqlite, #"code eq "Mixed""#)
                == SQLPredicate(sql: "(code IS NOT NULL AND code = ?)", binds: [.text("Mixed")]))
        #expect(
            try compile(sqlite, #"code gt "Mixed""#)
                == SQLPredicate(sql: "(code IS NOT NULL AND code COLLATE BINARY > ?)", binds: [.text("Mixed")]))
        #expect(
            try compile(postgres, #"code lt "Mixed""#)
                == SQLPredicate(sql: #"(code IS NOT NULL AND (code) COLLATE "C" < $1)"#, binds: [.text("Mixed")]))
    }

    @Test func likePatternsEscapePercentUnderscoreAndBackslash() throws {
        let filter = #"action_name co "50%_Off\\x""#
        #expect(
            try compile(sqlite, filter)
                == SQLPredicate(
                    sql: #"(action_name IS NOT NULL AND lower(action_name) LIKE ? ESCAPE '\')"#,
                    binds: [.text(#"%50\%\_off\\x%"#)]))
        #expect(
            try compile(postgres, filter)
                == SQLPredicate(
                    sql: #"(action_name IS NOT NULL AND lower((action_name) COLLATE "C") LIKE $1 ESCAPE '\')"#,
                    binds: [.text(#"%50\%\_off\\x%"#)]))
        #expect(try compile(sqlite, #"action_name sw "A_""#).binds == [.text(#"a\_%"#)])
        #expect(try compile(sqlite, #"action_name ew "%A""#).binds == [.text(#"%\%a"#)])
        #expect(try compile(postgres, #"identity_id sw "A%""#).binds == [.text(#"A\%%"#)])
        #expect(
            try compile(postgres, #"identity_id ew "A""#).sql == #"(identity_id IS NOT NULL AND identity_id LIKE $1 ESCAPE '\')"#)
    }

    @Test func caseExactSubstringsUseGlobOnSQLite() throws {
        #expect(
            try compile(sqlite, #"identity_id co "a*b?[c]%_\\""#)
                == SQLPredicate(sql: "(identity_id IS NOT NULL AND identity_id GLOB ?)", binds: [.text(#"*a[*]b[?][[]c]%_\*"#)]))
        #expect(try compile(sqlite, #"identity_id sw "Ab""#).binds == [.text("Ab*")])
        #expect(try compile(sqlite, #"identity_id ew "Ab""#).binds == [.text("*Ab")])
    }

    @Test func neAndNotAreTwoValued() throws {
        #expect(
            try compile(sqlite, #"action_name ne "x""#)
                == SQLPredicate(sql: "(NOT (action_name IS NOT NULL AND lower(action_name) = ?))", binds: [.text("x")]))
        #expect(
            try compile(postgres, #"not (jobs_started gt 2)"#)
                == SQLPredicate(sql: "(NOT (jobs_started IS NOT NULL AND jobs_started > $1))", binds: [.integer(2)]))
        #expect(try compile(sqlite, "action_name eq null").sql == "(action_name IS NULL)")
        #expect(try compile(sqlite, "action_name ne null").sql == "(NOT (action_name IS NULL))")
        #expect(try compile(sqlite, "action_name pr").sql == "(action_name IS NOT NULL AND action_name <> '')")
        #expect(try compile(sqlite, "jobs_started pr").sql == "(jobs_started IS NOT NULL)")
        #expect(try compile(sqlite, "any_changes eq null").sql == "(any_changes IS NULL)")
    }

    @Test func enumerationsAreNormalised() throws {
        for literal in [#""errored""#, #""ERRORED""#, "3", #""3""#] {
            #expect(
                try compile(sqlite, "state eq \(literal)")
                    == SQLPredicate(sql: "(state IS NOT NULL AND state = ?)", binds: [.text("ERRORED")]))
        }
        #expect(
            try compile(postgres, #"state co "Rr""#)
                == SQLPredicate(sql: #"(state IS NOT NULL AND lower((state) COLLATE "C") LIKE $1 ESCAPE '\')"#, binds: [.text("%rr%")]))
    }

    @Test func typedBinds() throws {
        #expect(try compile(sqlite, #"started_at lt "2026-01-01T01:00:00.5+01:00""#).binds == [.integer(1_767_225_600_500_000_000)])
        #expect(
            try compile(sqlite, #"any_changes eq "TRUE""#)
                == SQLPredicate(sql: "(any_changes IS NOT NULL AND any_changes = ?)", binds: [.boolean(true)]))
        #expect(try compile(postgres, "any_changes ne false").binds == [.boolean(false)])
        #expect(try compile(sqlite, "jobs_started le 7").binds == [.integer(7)])
        #expect(try compile(sqlite, "score gt 1.5").binds == [.double(1.5)])
        #expect(try compile(sqlite, "score gt 2").binds == [.double(2)])
    }

    @Test func stringArrays() throws {
        #expect(
            try compile(sqlite, #"tags co "Ad""#)
                == SQLPredicate(
                    sql: #"EXISTS (SELECT 1 FROM json_each(tags) AS elem WHERE (elem.value IS NOT NULL AND lower(elem.value) LIKE ? ESCAPE '\'))"#,
                    binds: [.text("%ad%")]))
        #expect(
            try compile(postgres, #"tags eq "Ad""#)
                == SQLPredicate(
                    sql: #"EXISTS (SELECT 1 FROM jsonb_array_elements_text((tags)::jsonb) AS elem(value) WHERE (elem.value IS NOT NULL AND lower((elem.value) COLLATE "C") = $1))"#,
                    binds: [.text("ad")]))
        #expect(try compile(sqlite, "tags eq null").sql == "(tags IS NULL OR json_array_length(tags) = 0)")
        #expect(try compile(postgres, "tags pr").sql == "(tags IS NOT NULL AND jsonb_array_length((tags)::jsonb) > 0)")
        #expect(
            try compile(sqlite, #"tags ne "x""#).sql
                == "(NOT EXISTS (SELECT 1 FROM json_each(tags) AS elem WHERE (elem.value IS NOT NULL AND lower(elem.value) = ?)))")
        #expect(
            try compile(sqlite, #"labels ew "A""#)
                == SQLPredicate(
                    sql: "EXISTS (SELECT 1 FROM json_each(labels) AS elem WHERE (elem.value IS NOT NULL AND elem.value GLOB ?))",
                    binds: [.text("*A")]))
    }

    @Test func valuePaths() throws {
        #expect(
            try compile(sqlite, #"tags[value sw "a" and not (value eq "b")]"#)
                == SQLPredicate(
                    sql: "EXISTS (SELECT 1 FROM json_each(tags) AS elem WHERE ((elem.value IS NOT NULL AND lower(elem.value) LIKE ? ESCAPE '\\')"
                        + " AND (NOT (elem.value IS NOT NULL AND lower(elem.value) = ?))))",
                    binds: [.text("a%"), .text("b")]))
        #expect(
            try compile(postgres, #"tags[value pr]"#).sql
                == "EXISTS (SELECT 1 FROM jsonb_array_elements_text((tags)::jsonb) AS elem(value) WHERE (elem.value IS NOT NULL AND elem.value <> ''))")
    }

    @Test func columnsThatAreExpressionsAreParenthesised() throws {
        #expect(
            try compile(sqlite, #"nick eq "x""#).sql
                == "((json_extract(data, '$.nick')) IS NOT NULL AND lower((json_extract(data, '$.nick'))) = ?)")
        #expect(try compile(sqlite, #"source.name eq "x""#).sql == "(source_name IS NOT NULL AND lower(source_name) = ?)")
    }

    @Test func placeholders() throws {
        let predicate = try compile(postgres, #"action_name eq "a" or (jobs_started gt 1 and code co "c")"#, from: 4)
        #expect(
            predicate.sql
                == #"((action_name IS NOT NULL AND lower((action_name) COLLATE "C") = $4) OR ((jobs_started IS NOT NULL AND jobs_started > $5) AND (code IS NOT NULL AND code LIKE $6 ESCAPE '\')))"#)
        #expect(predicate.binds == [.text("a"), .integer(1), .text("%c%")])
        #expect(postgres.placeholder(7) == "$7")
        #expect(sqlite.placeholder(7) == "?")
        #expect(try compile(sqlite, #"action_name eq "a" or jobs_started gt 1"#, from: 9).sql.contains("$") == false)
    }

    @Test func valuesAreNeverSpliced() throws {
        let hostile = #"x' OR 1=1; DROP TABLE t; --"#
        let filter = "action_name eq \"\(hostile)\" or code co \"\(hostile)\" or tags sw \"\(hostile)\""
        for compiler in [sqlite, postgres] {
            let predicate = try compile(compiler, filter)
            #expect(!predicate.sql.contains("DROP"))
            #expect(predicate.binds.count == 3)
        }
    }

    @Test func rejectsWhatValidateRejects() throws {
        #expect(throws: FilterError.self) { try compile(sqlite, #"foo eq "x""#) }
        #expect(throws: FilterError.self) { try compile(postgres, #"state eq "BROKEN""#) }
        #expect(throws: FilterError.self) { try compile(postgres, #"any_changes lt true"#) }
    }

    @Test func longChainsStayFlat() throws {
        let chain = Array(repeating: #"code eq "x""#, count: 400).joined(separator: " or ")
        let predicate = try compile(sqlite, chain)
        #expect(predicate.binds.count == 400)
        #expect(predicate.sql.hasPrefix("((code IS NOT NULL AND code = ?) OR (code"))
    }
}
