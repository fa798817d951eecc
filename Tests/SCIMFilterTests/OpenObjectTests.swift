import SCIMFilter
import Testing

/// Catalogs with open objects: members that are not listed are valid and absent from every record.
@Suite struct OpenObjectTests {
    static let catalog = FieldCatalog([
        CatalogField("decision", type: .enumeration(["NONE", "ACCEPTED", "REJECTED"]), operators: [.eq, .ne]),
        CatalogField("source.is_active", column: "src_active", type: .boolean, operators: [.eq, .ne, .pr]),
    ], openObjects: ["source", "destination"])

    private func error(_ text: String) throws -> FilterError? {
        do {
            try Self.catalog.validate(Filter.parse(text))
            return nil
        } catch {
            return error
        }
    }

    @Test func unlistedMembersAreValid() throws {
        #expect(try error(#"source.nickname eq "x""#) == nil)
        #expect(try error(#"Destination.Owner co "a" and source.age gt 3"#) == nil)
        #expect(try error("source.tags[value eq \"x\"]") == nil)
        #expect(try error("source.nickname pr") == nil)
    }

    @Test func literalsAreStillChecked() throws {
        #expect(
            try error("source.nickname gt null")?.message
                == #"operator "gt" cannot be used with null ("source.nickname"); null only works with eq and ne"#)
        #expect(try error("source.flag lt true")?.field == "source.flag")
        #expect(try error("source.count co 3")?.field == "source.count")
        #expect(try error(#"source.is_active eq "maybe""#)?.field == "source.is_active")
        #expect(try error(#"decision eq "MAYBE""#)?.field == "decision")
    }

    @Test func theObjectItselfAndOtherFieldsAreUnknown() throws {
        let message = try error(#"source eq "x""#)?.message
        #expect(message == #"unknown field "source"; filterable fields are: decision, source.is_active, source.*, destination.*"#)
        #expect(try error(#"owner.name eq "x""#)?.field == "owner.name")
    }

    @Test func absentMembersMatchOnlyNullAndNe() throws {
        let evaluator = FilterEvaluator(catalog: Self.catalog)
        let record: JSONValue = ["decision": "NONE", "source": ["nickname": "ann", "is_active": true]]
        func matches(_ filter: String) throws -> Bool { try evaluator.matches(Filter.parse(filter), record) }
        #expect(try !matches(#"source.nickname eq "ann""#))
        #expect(try matches(#"source.nickname ne "ann""#))
        #expect(try matches("source.nickname eq null"))
        #expect(try !matches("source.nickname ne null"))
        #expect(try !matches("source.nickname pr"))
        #expect(try !matches("source.tags[value pr]"))
        #expect(try matches("not (source.nickname pr) and source.is_active eq \"true\""))
    }

    @Test func absentMembersCompileToConstants() throws {
        let compiler = SQLCompiler(catalog: Self.catalog, dialect: SQLiteDialect())
        let predicate = try compiler.compile(Filter.parse(#"source.nickname eq "x" or (source.is_active eq true and source.age ne 3)"#))
        #expect(predicate.sql == "((1 = 0) OR ((src_active IS NOT NULL AND src_active = ?) AND (1 = 1)))")
        #expect(predicate.binds == [.boolean(true)])
    }
}
