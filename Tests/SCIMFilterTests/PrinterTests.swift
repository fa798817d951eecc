import PropertyBased
import SCIMFilter
import Testing

/// The canonical form, and `Filter.parse(e.description) == e`.
@Suite struct PrinterTests {
    private func canonical(_ text: String) throws -> String {
        try Filter.parse(text).description
    }

    @Test func comparisons() throws {
        #expect(try canonical(#"state EQ "ERRORED""#) == #"state eq "ERRORED""#)
        #expect(try canonical(#"UserName Sw "J""#) == #"UserName sw "J""#)
        #expect(try canonical("a pr") == "a pr")
        #expect(try canonical("a PR") == "a pr")
        #expect(try canonical("a eq TRUE") == "a eq true")
        #expect(try canonical("a ne False") == "a ne false")
        #expect(try canonical("a eq NULL") == "a eq null")
        let urn = "urn:ietf:params:scim:schemas:core:2.0:User"
        #expect(try canonical("\(urn):name.familyName co \"x\"") == "\(urn):name.familyName co \"x\"")
    }

    @Test func logic() throws {
        #expect(try canonical("a pr and b pr") == "(a pr and b pr)")
        #expect(try canonical("a pr and b pr and c pr") == "(a pr and b pr and c pr)")
        #expect(try canonical("a pr and (b pr and c pr)") == "(a pr and (b pr and c pr))")
        #expect(try canonical("a pr or b pr and c pr") == "(a pr or (b pr and c pr))")
        #expect(try canonical("((a pr))") == "a pr")
        #expect(try canonical("not(a pr)") == "not (a pr)")
        #expect(try canonical("not (a pr or b pr)") == "not (a pr or b pr)")
        #expect(try canonical("not (not (a pr))") == "not (not (a pr))")
        #expect(try canonical("emails[type eq \"work\" and value co \"@x.com\"]") == #"emails[type eq "work" and value co "@x.com"]"#)
        #expect(try canonical("emails[(type pr)]") == "emails[type pr]")
        #expect(try canonical("emails[not (type pr)]") == "emails[not (type pr)]")
    }

    @Test func strings() throws {
        #expect(try canonical(#"a eq "\/\u0041\u00e9""#) == #"a eq "/Aé""#)
        #expect(try canonical(#"a eq "\"\\\b\f\n\r\t\u0001\u001f""#) == #"a eq "\"\\\b\f\n\r\t\u0001\u001f""#)
        #expect(try canonical(#"a eq "\u007f\u2028🙂""#) == "a eq \"\u{7F}\u{2028}🙂\"")
    }

    @Test func numbers() throws {
        #expect(try canonical("a eq 1.0") == "a eq 1")
        #expect(try canonical("a eq 1E2") == "a eq 100")
        #expect(try canonical("a eq -0") == "a eq -0")
        #expect(try canonical("a eq 0.0") == "a eq 0")
        #expect(try canonical("a eq 1.5") == "a eq 1.5")
        #expect(try canonical("a eq 0.1") == "a eq 0.1")
        #expect(try canonical("a eq 1e21") == "a eq 1e+21")
        #expect(try canonical("a eq 999999999999999") == "a eq 999999999999999")
        #expect(try canonical("a eq 1e15") == "a eq 1000000000000000")
        #expect(try canonical("a eq 1e16") == "a eq 1e+16")
        #expect(try canonical("a eq 2.5e-7") == "a eq 2.5e-07")
        #expect(try canonical("a eq -12.75") == "a eq -12.75")
    }

    @Test func printingIsIdempotent() throws {
        let text = #"A eq 1 AND (b pr OR NOT (c[d sw "x"]))"#
        let once = try canonical(text)
        #expect(once == #"(A eq 1 and (b pr or not (c[d sw "x"])))"#)
        #expect(try canonical(once) == once)
    }

    @Test func roundTripProperty() async {
        let expressions = Generator<FilterExpression, Shrink.None<FilterExpression>> { random in
            RandomExpressions.expression(depth: 5, using: &random)
        }
        await propertyCheck(count: 2000, input: expressions) { expression in
            let text = expression.description
            let reparsed = try Filter.parse(text)
            #expect(reparsed == expression, "\(text)")
            #expect(reparsed.description == text)
        }
    }
}
