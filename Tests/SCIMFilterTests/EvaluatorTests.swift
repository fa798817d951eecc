import SCIMFilter
import Testing

/// Schema-less evaluation: JSON records, no catalog.
@Suite struct EvaluatorTests {
    private let evaluator = FilterEvaluator()
    private let user: JSONValue = [
        "userName": "bjensen",
        "name": ["familyName": "Jensen", "givenName": "Barbara"],
        "active": true,
        "logins": 42,
        "score": 1.5,
        "title": "",
        "nickname": nil,
        "meta": ["lastModified": "2026-01-02T03:04:05Z", "created": "2025-06-01T00:00:00+02:00"],
        "emails": [
            ["type": "work", "value": "bjensen@example.com", "primary": true],
            ["type": "home", "value": "babs@jensen.org"],
        ],
        "tags": ["Blue", "green", "ÉTÉ"],
        "empty": [],
        "nulls": [nil],
        "object": [:],
        "flags": "TRUE",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": ["employeeNumber": "701984"],
        "source.name": "flat",
    ]

    private func matches(_ filter: String, _ record: JSONValue? = nil) throws -> Bool {
        try evaluator.matches(Filter.parse(filter), record ?? user)
    }

    private func error(_ filter: String) throws -> FilterError? {
        let expression = try Filter.parse(filter)
        do {
            _ = try evaluator.matches(expression, user)
            return nil
        } catch {
            return error
        }
    }

    @Test func stringsCompareIgnoringASCIICase() throws {
        #expect(try matches(#"userName eq "BJensen""#))
        #expect(try matches(#"USERNAME eq "bjensen""#))
        #expect(try !matches(#"userName eq "bjensen ""#))
        #expect(try matches(#"userName co "JENS""#))
        #expect(try matches(#"userName sw "BJ""#))
        #expect(try matches(#"userName ew "SEN""#))
        #expect(try !matches(#"userName ew "bje""#))
        #expect(try matches(#"userName co """#))
    }

    @Test func onlyASCIIFolds() throws {
        #expect(try matches(#"tags eq "été""#) == false)
        #expect(try matches(#"tags eq "ÉTÉ""#))
        #expect(try matches(#"tags eq "éTé""#) == false)
        #expect(try matches(#"x eq "CAFÉ""#, ["x": "cafÉ"]))
        #expect(try matches(#"x eq "straße""#, ["x": "STRASSE"]) == false)
        #expect(try matches(#"x eq "e\u0301""#, ["x": "é"]) == false, "no Unicode normalisation")
    }

    @Test func orderingIsByteWise() throws {
        #expect(try matches(#"userName gt "B""#))
        #expect(try matches(#"userName lt "C""#))
        #expect(try matches(#"userName ge "BJENSEN""#))
        #expect(try matches(#"userName le "bjensen""#))
        #expect(try !matches(#"userName gt "bjensen""#))
        #expect(try matches(#"x gt "z""#, ["x": "é"]), "é (0xC3 0xA9) sorts after every ASCII letter")
        #expect(try matches(#"x lt "ab""#, ["x": "a"]))
        #expect(try matches(#"x gt "_""#, ["x": "A"]), "folded to a (0x61), after _ (0x5F)")
    }

    @Test func paths() throws {
        #expect(try matches(#"name.familyName eq "jensen""#))
        #expect(try matches(#"NAME.FAMILYNAME eq "jensen""#))
        #expect(try matches(#"name.middleName eq null"#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen""#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#))
        #expect(try matches(#"source.name eq "flat""#))
        #expect(try matches(#"meta.lastModified pr"#))
    }

    @Test func multiValuedAttributes() throws {
        #expect(try matches(#"tags eq "blue""#))
        #expect(try matches(#"tags ne "blue""#) == false)
        #expect(try matches(#"tags co "ree""#))
        #expect(try matches(#"emails.type eq "home""#))
        #expect(try matches(#"emails.value ew "@example.com""#))
        #expect(try matches(#"emails.primary eq true"#))
        #expect(try matches(#"emails[type eq "work" and value co "example"]"#))
        #expect(try !matches(#"emails[type eq "home" and value co "example"]"#), "all conditions on the same element")
        #expect(try matches(#"emails[type eq "home"] and emails[value co "example"]"#))
        #expect(try matches(#"emails[not (primary eq true)]"#))
        #expect(try matches(#"tags[value sw "gr"]"#), "a string element is the value of \"value\"")
        #expect(try !matches(#"tags[type pr]"#))
        #expect(try matches(#"name[givenName sw "barb"]"#), "a single complex value")
        #expect(try !matches(#"missing[x pr]"#))
    }

    @Test func neIsNotEq() throws {
        #expect(try matches(#"missing ne "x""#))
        #expect(try matches(#"nickname ne "x""#))
        #expect(try matches(#"userName ne "x""#))
        #expect(try !matches(#"userName ne "BJENSEN""#))
        #expect(try matches(#"logins ne "42""#), "a string is not equal to a number")
        #expect(try matches(#"not (missing eq "x")"#))
    }

    @Test func null() throws {
        #expect(try matches("missing eq null"))
        #expect(try matches("nickname eq null"))
        #expect(try matches("empty eq null"))
        #expect(try matches("nulls eq null"))
        #expect(try !matches("title eq null"), "an empty string is a value")
        #expect(try !matches("object eq null"))
        #expect(try !matches("tags eq null"))
        #expect(try matches("tags ne null"))
        #expect(try !matches("missing ne null"))
    }

    @Test func present() throws {
        #expect(try matches("userName pr"))
        #expect(try matches("active pr"))
        #expect(try matches("logins pr"))
        #expect(try matches("tags pr"))
        #expect(try matches("name pr"))
        #expect(try !matches("missing pr"))
        #expect(try !matches("nickname pr"))
        #expect(try !matches("title pr"))
        #expect(try !matches("empty pr"))
        #expect(try !matches("object pr"))
        #expect(try matches("nulls pr"), "an array with an element is present")
        #expect(try !matches("emails.display pr"))
    }

    @Test func numbers() throws {
        #expect(try matches("logins eq 42"))
        #expect(try matches("logins eq 42.0"))
        #expect(try matches("logins gt 41.5"))
        #expect(try matches("logins le 42"))
        #expect(try !matches("logins lt 42"))
        #expect(try matches("score ge 1.5"))
        #expect(try !matches(#"logins eq "42""#), "types differ: not equal, no error")
        #expect(try !matches(#"logins gt "1""#))
        #expect(try !matches(#"userName gt 1"#))
    }

    @Test func timestampsCompareChronologically() throws {
        #expect(try matches(#"meta.lastModified gt "2026-01-02T04:04:05+02:00""#))
        #expect(try matches(#"meta.lastModified eq "2026-01-02T05:04:05.000+02:00""#))
        #expect(try matches(#"meta.lastModified lt "2026-01-02T03:04:05.000000001Z""#))
        #expect(try matches(#"meta.created lt "2025-06-01T00:00:00Z""#))
        #expect(try matches(#"meta.created gt "2025-05-31 23:00:00z""#) == false)
        #expect(try matches(#"meta.created gt "2025-06""#), "not both timestamps: compared as text")
    }

    @Test func booleans() throws {
        #expect(try matches("active eq true"))
        #expect(try matches("active eq TRUE"))
        #expect(try matches(#"active eq "true""#))
        #expect(try matches(#"active eq "True""#))
        #expect(try matches(#"active ne "false""#))
        #expect(try !matches(#"active eq "yes""#))
        #expect(try matches(#"flags eq true"#), "a string \"TRUE\" equals the boolean")
        #expect(try !matches(#"active eq 1"#))
        #expect(try matches(#"source.is_active ne "true""#, ["source": ["is_active": false]]))
        #expect(try !matches(#"source.is_active ne "true""#, ["source": ["is_active": true]]))
    }

    @Test func orderingBooleansIsAnError() throws {
        #expect(try error("active gt true")?.message == #"operator "gt" cannot compare booleans ("active")"#)
        #expect(try error(#"userName gt false"#)?.field == "userName", "a boolean literal, whatever the record")
        let met = try error(#"active lt "x""#)
        #expect(met?.message == #"operator "lt" cannot compare booleans ("active")"#)
        #expect(met?.field == "active")
        #expect(try error(#"emails.primary ge "x""#)?.message == #"operator "ge" cannot compare booleans ("emails.primary")"#)
    }

    @Test func substringOperatorsNeedStringLiterals() throws {
        #expect(try error("logins co 4")?.message == #"operator "co" needs a string value ("logins")"#)
        #expect(try error("active sw true")?.message == #"operator "sw" needs a string value ("active")"#)
        #expect(try error("x ew null")?.message == #"operator "ew" cannot be used with null ("x"); null only works with eq and ne"#)
        #expect(try error("x gt null")?.field == "x")
        #expect(try !matches(#"logins co "4""#), "a number attribute never matches co")
    }

    @Test func logic() throws {
        #expect(try matches(#"userName eq "bjensen" and active eq true"#))
        #expect(try matches(#"userName eq "x" or active eq true"#))
        #expect(try !matches(#"userName eq "x" or active eq false"#))
        #expect(try matches(#"not (userName eq "x")"#))
        #expect(try matches(#"userName eq "x" or userName eq "y" or logins gt 1"#))
        #expect(try !matches(#"logins gt 1 and logins gt 2 and logins gt 100"#))
        #expect(try matches(#"(userName eq "x" or logins eq 42) and not (active eq false)"#))
    }

    @Test func nonObjectRecords() throws {
        #expect(try matches(#"value eq "x""#, "x"))
        #expect(try !matches(#"a eq "x""#, "x"))
        #expect(try !matches("a pr", nil))
    }

    @Test func longChainsDoNotRecurseDeeply() throws {
        let chain = Array(repeating: "userName pr", count: 450).joined(separator: " and ")
        #expect(try matches(chain))
        let alternatives = Array(repeating: "missing pr", count: 500).joined(separator: " or ")
        #expect(try !matches(alternatives))
    }
}
