import SCIMFilter
import Testing

/// Evaluation with a catalog: typed fields, as the SQL compiler sees them.
@Suite struct CatalogEvaluatorTests {
    private let evaluator = FilterEvaluator(catalog: TestCatalog.catalog)
    private let event: JSONValue = [
        "state": "ERRORED",
        "action_type": "SYNC_IDENTITIES",
        "action_name": "Sync Okta_Users 100%",
        "identity_id": "ID-ab\\c",
        "code": "Mixed",
        "started_at": "2026-01-01T10:00:00+01:00",
        "any_changes": false,
        "jobs_started": 3,
        "score": 0.5,
        "source.name": "Café",
        "tags": ["Admin", "ops", "ÉTÉ"],
        "labels": ["Prod", "eu-1"],
    ]

    private func matches(_ filter: String, _ record: JSONValue? = nil) throws -> Bool {
        try evaluator.matches(Filter.parse(filter), record ?? event)
    }

    @Test func validatesLikeTheCompiler() throws {
        #expect(throws: FilterError.self) { try matches(#"foo eq "x""#) }
        #expect(throws: FilterError.self) { try matches(#"action_type co "x""#) }
        #expect(throws: FilterError.self) { try matches(#"any_changes gt true"#) }
    }

    @Test func strings() throws {
        #expect(try matches(#"action_name eq "sync okta_users 100%""#))
        #expect(try matches(#"action_name co "OKTA_""#))
        #expect(try matches(#"action_name co "_users 100%""#))
        #expect(try !matches(#"action_name co "okta%""#))
        #expect(try matches(#"action_name sw "SYNC""#))
        #expect(try matches(#"action_name ew "100%""#))
        #expect(try matches(#"action_name gt "SYNC""#))
        #expect(try matches(#"action_name lt "t""#))
        #expect(try matches(#"source.name eq "CAFé""#))
        #expect(try !matches(#"source.name eq "CAFÉ""#))
        #expect(try matches(#"SOURCE.NAME co "fé""#))
        #expect(try matches(#"source.name eq "café""#, ["source": ["name": "CAFé"]]), "nested objects too")
    }

    @Test func caseExactStrings() throws {
        #expect(try matches(#"identity_id eq "ID-ab\\c""#))
        #expect(try !matches(#"identity_id eq "id-ab\\c""#))
        #expect(try matches(#"identity_id co "b\\""#))
        #expect(try !matches(#"identity_id co "B\\""#))
        #expect(try matches(#"identity_id sw "ID-""#))
        #expect(try matches(#"identity_id ew "\\c""#))
        #expect(try matches(#"code gt "MIXED""#), "lower-case letters sort after upper-case ones")
        #expect(try !matches(#"code gt "mixed""#))
    }

    @Test func enumerations() throws {
        #expect(try matches(#"state eq "ERRORED""#))
        #expect(try matches(#"state eq "errored""#))
        #expect(try matches("state eq 3"))
        #expect(try matches(#"state eq "3""#))
        #expect(try !matches(#"state eq "RUNNING""#))
        #expect(try matches(#"state ne "running""#))
        #expect(try matches(#"state co "rror""#))
        #expect(try matches(#"state eq "ERRORED""#, ["state": 3]), "a record may hold the number")
        #expect(try !matches(#"state eq "ERRORED""#, ["state": "errored"]), "records hold the canonical name")
        #expect(try matches("state eq null", [:]))
    }

    @Test func timestamps() throws {
        #expect(try matches(#"started_at eq "2026-01-01T09:00:00Z""#))
        #expect(try matches(#"started_at ge "2026-01-01T00:00:00Z""#))
        #expect(try matches(#"started_at lt "2026-01-01T09:00:00.000000001z""#))
        #expect(try !matches(#"started_at gt "2026-01-01T10:00:00Z""#))
        #expect(try matches("started_at pr"))
        #expect(try !matches(#"started_at pr"#, ["started_at": "not a time"]), "an unreadable timestamp counts as absent")
        #expect(try matches(#"started_at ne "2026-01-01T09:00:00Z""#, [:]))
    }

    @Test func numbers() throws {
        #expect(try matches("jobs_started eq 3"))
        #expect(try matches("jobs_started ge 3"))
        #expect(try !matches("jobs_started gt 3"))
        #expect(try matches("jobs_started lt 4"))
        #expect(try matches("score le 0.5"))
        #expect(try matches("score gt 0"))
        #expect(try !matches("jobs_started eq 3", ["jobs_started": "3"]), "a string in a number field counts as absent")
    }

    @Test func booleans() throws {
        #expect(try matches("any_changes eq false"))
        #expect(try matches(#"any_changes eq "FALSE""#))
        #expect(try matches(#"any_changes ne "true""#))
        #expect(try matches(#"any_changes ne "true""#, [:]), "absent matches ne")
        #expect(try !matches("any_changes eq false", [:]))
        #expect(try matches("any_changes pr"))
        #expect(try !matches("any_changes pr", ["any_changes": "false"]))
    }

    @Test func nullAndPresent() throws {
        #expect(try matches("action_name eq null", [:]))
        #expect(try matches("action_name eq null", ["action_name": nil]))
        #expect(try !matches("action_name eq null", ["action_name": ""]))
        #expect(try !matches("action_name pr", ["action_name": ""]))
        #expect(try matches("action_name ne null", ["action_name": ""]))
        #expect(try matches(#"action_name ne "x""#, [:]))
        #expect(try !matches(#"action_name eq "x""#, [:]))
    }

    @Test func stringArrays() throws {
        #expect(try matches(#"tags eq "admin""#))
        #expect(try matches(#"tags co "P""#))
        #expect(try matches(#"tags eq "ÉTÉ""#))
        #expect(try !matches(#"tags eq "été""#))
        #expect(try matches(#"tags gt "É""#), "ÉTÉ folds to ÉtÉ, after É")
        #expect(try !matches(#"tags gt "é""#), "É (0xC3 0x89) sorts before é (0xC3 0xA9)")
        #expect(try !matches(#"tags ne "ops""#))
        #expect(try matches(#"tags ne "dev""#))
        #expect(try matches(#"labels eq "Prod""#))
        #expect(try !matches(#"labels eq "prod""#))
        #expect(try matches("tags pr"))
        #expect(try !matches("tags pr", ["tags": []]))
        #expect(try !matches("tags pr", [:]))
        #expect(try matches("tags eq null", ["tags": []]))
        #expect(try matches("tags eq null", ["tags": nil]))
        #expect(try !matches("tags eq null"))
        #expect(try matches(#"tags ne "x""#, [:]))
        #expect(try matches(#"tags pr"#, ["tags": [""]]), "a non-empty array is present")
    }

    @Test func valuePathsOnStringArrays() throws {
        #expect(try matches(#"tags[value sw "ad" and value ew "IN"]"#))
        #expect(try !matches(#"tags[value sw "ad" and value ew "ps"]"#), "both conditions on one element")
        #expect(try matches(#"tags[value sw "ad"] and tags[value ew "ps"]"#))
        #expect(try matches(#"tags[not (value eq "admin")]"#))
        #expect(try !matches(#"tags[value pr]"#, ["tags": [""]]))
        #expect(try !matches(#"tags[value eq "x"]"#, [:]))
    }
}
