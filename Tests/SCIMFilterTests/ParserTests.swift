import SCIMFilter
import Testing

/// The grammar: paths, operators, logic, precedence, value paths, case-insensitivity.
@Suite struct ParserTests {
    private let a = AttributePath("a")
    private let b = AttributePath("b")
    private let c = AttributePath("c")

    private func cmp(_ path: String, _ op: FilterOperator, _ value: FilterValue) -> FilterExpression {
        .comparison(AttributePath(path), op, value)
    }

    @Test func vezaExamples() throws {
        #expect(try Filter.parse(#"state eq "ERRORED""#) == cmp("state", .eq, .string("ERRORED")))
        #expect(
            try Filter.parse(#"event_type eq "CREATE_IDENTITY" and success eq true"#)
                == .and(cmp("event_type", .eq, .string("CREATE_IDENTITY")), cmp("success", .eq, .boolean(true))))
        #expect(
            try Filter.parse(#"persisted_at GE "2023-09-14T23:59:59.999999999Z""#)
                == cmp("persisted_at", .ge, .string("2023-09-14T23:59:59.999999999Z")))
        #expect(try Filter.parse(#"source.is_active ne "true""#) == cmp("source.is_active", .ne, .string("true")))
        #expect(
            try Filter.parse(#"destination.google_cloud_organization_name eq "x""#)
                == .comparison(
                    AttributePath(name: "destination", subAttribute: "google_cloud_organization_name"), .eq, .string("x")))
    }

    @Test func everyOperatorInAnyCase() throws {
        for op in FilterOperator.allCases where op != .pr {
            #expect(try Filter.parse("a \(op.rawValue) 1") == .comparison(a, op, .number(1)))
            #expect(try Filter.parse("a \(op.rawValue.uppercased()) 1") == .comparison(a, op, .number(1)))
        }
        #expect(try Filter.parse("a pr") == .present(a))
        #expect(try Filter.parse("a Pr") == .present(a))
        #expect(try Filter.parse("a eQ null") == .comparison(a, .eq, .null))
    }

    @Test func attributePaths() throws {
        #expect(try Filter.parse("userName pr") == .present(AttributePath(name: "userName")))
        #expect(try Filter.parse("name.familyName pr") == .present(AttributePath(name: "name", subAttribute: "familyName")))
        #expect(try Filter.parse("a-b_c9 pr") == .present(AttributePath(name: "a-b_c9")))
        #expect(try Filter.parse("members.$ref pr") == .present(AttributePath(name: "members", subAttribute: "$ref")))
        #expect(try Filter.parse("$REF pr") == .present(AttributePath(name: "$REF")))
        let user = "urn:ietf:params:scim:schemas:core:2.0:User"
        #expect(try Filter.parse("\(user):userName sw \"J\"") == .comparison(
            AttributePath(schemaURN: user, name: "userName"), .sw, .string("J")))
        #expect(try Filter.parse("\(user):name.familyName pr") == .present(
            AttributePath(schemaURN: user, name: "name", subAttribute: "familyName")))
        let enterprise = "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        #expect(try Filter.parse("\(enterprise):employeeNumber eq \"7\"") == .comparison(
            AttributePath(schemaURN: enterprise, name: "employeeNumber"), .eq, .string("7")))
        #expect(AttributePath(schemaURN: user, name: "name", subAttribute: "givenName").dottedName == "name.givenName")
    }

    @Test func keywordsCanBeAttributeNames() throws {
        #expect(try Filter.parse("and eq 1") == cmp("and", .eq, .number(1)))
        #expect(try Filter.parse("or pr") == .present(AttributePath("or")))
        #expect(try Filter.parse("not eq 1") == cmp("not", .eq, .number(1)))
        #expect(try Filter.parse("NOT pr") == .present(AttributePath("NOT")))
        #expect(try Filter.parse("not[a pr]") == .valuePath(AttributePath("not"), .present(a)))
        #expect(try Filter.parse("eq eq true") == cmp("eq", .eq, .boolean(true)))
        #expect(try Filter.parse("null eq null") == cmp("null", .eq, .null))
    }

    @Test func precedenceNotAndOr() throws {
        #expect(try Filter.parse("a pr or b pr and c pr") == .or(.present(a), .and(.present(b), .present(c))))
        #expect(try Filter.parse("a pr and b pr or c pr") == .or(.and(.present(a), .present(b)), .present(c)))
        #expect(try Filter.parse("not (a pr) and b pr") == .and(.not(.present(a)), .present(b)))
        #expect(try Filter.parse("not (a pr or b pr)") == .not(.or(.present(a), .present(b))))
        #expect(try Filter.parse("(a pr or b pr) and c pr") == .and(.or(.present(a), .present(b)), .present(c)))
        #expect(try Filter.parse("a pr AND b pr OR c pr") == .or(.and(.present(a), .present(b)), .present(c)))
    }

    @Test func leftAssociativity() throws {
        #expect(try Filter.parse("a pr and b pr and c pr") == .and(.and(.present(a), .present(b)), .present(c)))
        #expect(try Filter.parse("a pr or b pr or c pr") == .or(.or(.present(a), .present(b)), .present(c)))
        #expect(try Filter.parse("a pr and (b pr and c pr)") == .and(.present(a), .and(.present(b), .present(c))))
    }

    @Test func redundantParentheses() throws {
        #expect(try Filter.parse("((a pr))") == .present(a))
        #expect(try Filter.parse("not ((a pr))") == .not(.present(a)))
        #expect(try Filter.parse("not(not(a pr))") == .not(.not(.present(a))))
    }

    @Test func valuePaths() throws {
        let emails = AttributePath("emails")
        #expect(try Filter.parse(#"emails[type eq "work"]"#) == .valuePath(emails, cmp("type", .eq, .string("work"))))
        #expect(
            try Filter.parse(#"emails[type eq "work" and value co "@x.com"]"#)
                == .valuePath(emails, .and(cmp("type", .eq, .string("work")), cmp("value", .co, .string("@x.com")))))
        #expect(
            try Filter.parse(#"userType eq "Employee" and emails[type eq "work" or not (primary eq true)]"#)
                == .and(
                    cmp("userType", .eq, .string("Employee")),
                    .valuePath(emails, .or(cmp("type", .eq, .string("work")), .not(cmp("primary", .eq, .boolean(true)))))))
        #expect(try Filter.parse("x[y[z pr]]") == .valuePath(AttributePath("x"), .valuePath(AttributePath("y"), .present(AttributePath("z")))))
        #expect(try Filter.parse("emails [ value pr ]") == .valuePath(emails, .present(AttributePath("value"))))
    }

    @Test func namesKeepTheirSpelling() throws {
        #expect(try Filter.parse("UserName pr") == .present(AttributePath("UserName")))
        #expect(try Filter.parse("UserName pr") != .present(AttributePath("username")))
    }

    @Test func maximumDepthIsAccepted() throws {
        let nested = String(repeating: "(", count: 64) + "a pr" + String(repeating: ")", count: 64)
        #expect(try Filter.parse(nested) == .present(a))
        var notChain = "a pr"
        for _ in 0..<64 { notChain = "not (\(notChain))" }
        _ = try Filter.parse(notChain)
        let longChain = Array(repeating: "a pr", count: 900).joined(separator: " and ")
        #expect(longChain.utf8.count <= Filter.maximumLength)
        _ = try Filter.parse(longChain)
    }
}
