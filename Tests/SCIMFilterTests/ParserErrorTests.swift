import SCIMFilter
import Testing

/// Every syntax error says what was expected and where; the limits fail cleanly.
@Suite struct ParserErrorTests {
    private func error(_ text: String) -> FilterError? {
        do {
            _ = try Filter.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingOperator() {
        let error = error(#"state "ERRORED""#)
        #expect(error?.message == #"expected a comparison operator after "state" at column 7"#)
        #expect(error?.column == 7)
        #expect(error?.field == nil)
        #expect(self.error("state")?.message == #"expected a comparison operator after "state" at column 6"#)
        #expect(self.error(#"state = "x""#)?.message == #"expected a comparison operator after "state" at column 7"#)
        #expect(
            self.error(#"state equals "x""#)?.message
                == #"expected a comparison operator after "state" at column 7: "equals" is not one of eq, ne, co, sw, ew, gt, ge, lt, le, pr"#)
    }

    @Test func missingValue() {
        #expect(error("state eq")?.message == #"expected a value after "eq" at column 9"#)
        #expect(error("state EQ )")?.message == #"expected a value after "EQ" at column 10"#)
        #expect(
            error("state eq ERRORED")?.message
                == #"expected a value after "eq" at column 10: strings are written in double quotes, as in "ERRORED""#)
        #expect(error("a eq (1)")?.column == 6)
    }

    @Test func trailingInput() {
        #expect(
            error(#"a eq 1 foo"#)?.message == #"unexpected "foo" at column 8: expected "and", "or" or the end of the filter"#)
        #expect(
            error(#"a eq 1 "x""#)?.message
                == #"unexpected string "x" at column 8: expected "and", "or" or the end of the filter"#)
        #expect(error(#"a eq 1 2"#)?.message == #"unexpected number 2 at column 8: expected "and", "or" or the end of the filter"#)
        #expect(error(#"a pr pr"#)?.column == 6)
        #expect(error(#"a pr && b pr"#)?.message == #"unexpected "&" at column 6: expected "and", "or" or the end of the filter"#)
    }

    @Test func parentheses() {
        #expect(error("(a pr")?.message == #"unbalanced parentheses: "(" at column 1 is never closed"#)
        #expect(error("((a pr) and (b pr)")?.message == #"unbalanced parentheses: "(" at column 1 is never closed"#)
        #expect(error("a pr)")?.message == #"unexpected ")" at column 5"#)
        #expect(error("a pr and b pr))")?.message == #"unexpected ")" at column 14"#)
        #expect(error("(a pr]")?.message == #"unexpected "]" at column 6: expected "and", "or" or ")""#)
        #expect(error("()")?.message == #"expected an attribute, "not" or "(" after "(" at column 2"#)
        #expect(error(")")?.message == #"unexpected ")" at column 1: expected an attribute, "not" or "(""#)
    }

    @Test func brackets() {
        #expect(error("emails[type pr")?.message == #"unbalanced brackets: "[" at column 7 is never closed"#)
        #expect(error("emails[type pr)")?.message == #"unexpected ")" at column 15: expected "and", "or" or "]""#)
        #expect(error("emails[]")?.message == #"expected an attribute, "not" or "(" after "[" at column 8"#)
        #expect(error("a pr]")?.message == #"unexpected "]" at column 5"#)
        #expect(
            error(#"emails[type eq "work"].value eq "x""#)?.message
                == #"unexpected ".value" at column 23: expected "and", "or" or the end of the filter"#)
    }

    @Test func logicalOperators() {
        #expect(error("a pr and")?.message == #"expected an attribute, "not" or "(" after "and" at column 9"#)
        #expect(error("a pr or or b pr")?.message.hasPrefix(#"expected a comparison operator after "or" at column 12: "b""#) == true)
        #expect(error("and")?.message == #"expected a comparison operator after "and" at column 4"#)
        #expect(error(#""x" eq a"#)?.message == #"unexpected string "x" at column 1: expected an attribute, "not" or "(""#)
    }

    @Test func notNeedsParentheses() {
        #expect(error("not a eq 1")?.message == #"expected "(" after "not" at column 5: write not (filter)"#)
        #expect(error("a pr and not")?.message == #"expected "(" after "not" at column 13: write not (filter)"#)
        #expect(error("not (a pr")?.message == #"unbalanced parentheses: "(" at column 5 is never closed"#)
    }

    @Test func invalidPaths() {
        #expect(
            error("a.b.c pr")?.message
                == #"invalid attribute path "a.b.c" at column 1: an attribute has at most one sub-attribute"#)
        #expect(error("foo:bar pr")?.message == #"invalid attribute path "foo:bar" at column 1: only a "urn:" schema URN may come before ":""#)
        #expect(error("urn:x: pr")?.message.hasPrefix(#"invalid attribute path "urn:x:" at column 1: names start with a letter"#) == true)
        #expect(error("_a pr")?.column == 1)
        #expect(error("a. pr")?.message.hasPrefix(#"invalid attribute path "a." at column 1"#) == true)
        #expect(error("a.1b pr") != nil)
        #expect(error("$x pr") != nil)
        #expect(error("x eq 1 and $ref.b pr") == nil)
    }

    @Test func columnsCountCharacters() {
        #expect(error(#"café "x""#)?.message.hasPrefix(#"invalid attribute path "café" at column 1: names start"#) == true)
        #expect(error(#"a eq 1 é"#)?.message == #"unexpected "é" at column 8: expected "and", "or" or the end of the filter"#)
        #expect(error(#"name eq "café" foo"#)?.column == 16)
        #expect(error(#"name eq "🙂🙂" foo"#)?.column == 14)
        #expect(error(#"name eq "e\#u{301}" x"#)?.column == 13)
    }

    @Test func empty() {
        #expect(error("")?.message == "filter is empty")
        #expect(error("   \t\n ")?.message == "filter is empty")
        #expect(error("")?.column == nil)
    }

    @Test func tooLong() {
        let text = "a eq \"" + String(repeating: "x", count: 8193 - 7) + "\""
        #expect(text.utf8.count == 8193)
        #expect(error(text)?.message == "filter is 8193 bytes long; the maximum is 8192")
        let fits = "a eq \"" + String(repeating: "x", count: 8192 - 7) + "\""
        #expect(error(fits) == nil)
        #expect(error(String(repeating: "é", count: 4097))?.message == "filter is 8194 bytes long; the maximum is 8192")
    }

    @Test func aMebibyteFilterIsRejectedByLength() {
        let text = String(repeating: "(", count: 1 << 20)
        #expect(error(text)?.message == "filter is 1048576 bytes long; the maximum is 8192")
        let chain = Array(repeating: "a pr", count: 1 << 18).joined(separator: " and ")
        #expect(error(chain)?.message.hasSuffix("bytes long; the maximum is 8192") == true)
    }

    @Test func tooDeep() {
        let nested = String(repeating: "(", count: 65) + "a pr" + String(repeating: ")", count: 65)
        let error = error(nested)
        #expect(error?.message == "filter nests deeper than 64 levels at column 65")
        #expect(error?.column == 65)
        var nots = "a pr"
        for _ in 0..<65 { nots = "not (\(nots))" }
        #expect(self.error(nots)?.message == "filter nests deeper than 64 levels at column 325")
        let brackets = String(repeating: "a[", count: 65) + "b pr" + String(repeating: "]", count: 65)
        #expect(self.error(brackets)?.message == "filter nests deeper than 64 levels at column 130")
    }

    @Test func hundredThousandParenthesesDoNotRecurse() {
        let error = error(String(repeating: "(", count: 100_000))
        #expect(error?.message.hasPrefix("filter is 100000 bytes long") == true)
        let within = String(repeating: "(", count: 8000)
        #expect(self.error(within)?.message == "filter nests deeper than 64 levels at column 65")
        let unbalanced = String(repeating: "(", count: 64)
        #expect(self.error(unbalanced)?.message == #"expected an attribute, "not" or "(" after "(" at column 65"#)
    }

    @Test func canonicalNestingIsBounded() {
        // Each level alternates or/and through precedence and one pair of parentheses, so the text nests
        // 40 deep while its canonical form, with every and/or group parenthesised, would nest 80 deep.
        var text = "a pr"
        for _ in 0..<40 { text = "a pr or b pr and (\(text))" }
        let error = error(text)
        #expect(error?.message.hasPrefix("filter nests deeper than 64 levels at column") == true)
        var fine = "a pr"
        for _ in 0..<31 { fine = "a pr or b pr and (\(fine))" }
        #expect(self.error(fine) == nil)
    }
}
