import SCIMFilter
import Testing

/// Literals: JSON strings with every escape, JSON numbers, keywords, whitespace.
@Suite struct LexerTests {
    private func value(_ literal: String) throws -> FilterValue {
        guard case .comparison(_, _, let value) = try Filter.parse("a eq \(literal)") else {
            Issue.record("not a comparison")
            return .null
        }
        return value
    }

    private func error(_ text: String) -> FilterError? {
        do {
            _ = try Filter.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainStrings() throws {
        #expect(try value(#""ERRORED""#) == .string("ERRORED"))
        #expect(try value(#""""#) == .string(""))
        #expect(try value(#""café ß 🙂""#) == .string("café ß 🙂"))
        #expect(try value(#""a)b(c]d[ and or""#) == .string("a)b(c]d[ and or"))
    }

    @Test func everyJSONEscape() throws {
        #expect(try value(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try value(#""\u0041\u00e9\u00E9\u20AC""#) == .string("Aéé€"))
        #expect(try value(#""\ud83d\ude42""#) == .string("🙂"))
        #expect(try value(#""x\u0001y""#) == .string("x\u{01}y"))
    }

    @Test func badEscapes() {
        #expect(error(#"a eq "\x""#)?.message == #"invalid escape "\x" in string at column 7: JSON strings allow \" \\ \/ \b \f \n \r \t and \uXXXX"#)
        #expect(error(#"a eq "\u12""#)?.message.hasPrefix(#"invalid escape "\u12" in string at column 7: \u needs four hexadecimal digits"#) == true)
        #expect(error(#"a eq "\ud83d""#)?.message.hasSuffix("a high surrogate without a low surrogate after it") == true)
        #expect(error(#"a eq "\ud83dx""#)?.column == 7)
        #expect(error(#"a eq "\ud83d\u0041""#)?.message.hasSuffix("a high surrogate without a low surrogate after it") == true)
        #expect(error(#"a eq "\ude42""#)?.message.hasSuffix("a low surrogate without a high surrogate before it") == true)
        #expect(error(#"a eq "\u0000""#)?.message.hasSuffix("NUL characters are not allowed in filter strings") == true)
        #expect(error(#"a eq "\é""#)?.message.hasPrefix(#"invalid escape "\é" in string at column 7"#) == true)
    }

    @Test func rawControlCharactersAreRejected() {
        #expect(error("a eq \"x\ty\"")?.message == "control character U+0009 in string at column 8 must be escaped")
        #expect(error("a eq \"x\ny\"")?.column == 8)
        #expect(error("a eq \"\u{1F}\"")?.message == "control character U+001F in string at column 7 must be escaped")
        #expect(error("a eq \"\u{7F}\"") == nil)
    }

    @Test func unterminatedStrings() {
        #expect(error(#"state eq "ERRORED"#)?.message == "unterminated string starting at column 10")
        #expect(error(#"state eq "ERRORED\"#)?.message == "unterminated string starting at column 10")
        #expect(error(#"state eq "x\"#)?.column == 10)
        #expect(error(#"é eq "x"#) != nil)
        #expect(error(#"name eq "é"#)?.message == "unterminated string starting at column 9")
    }

    @Test func jsonNumbers() throws {
        #expect(try value("0") == .number(0))
        #expect(try value("-0") == .number(-0.0))
        #expect(try value("42") == .number(42))
        #expect(try value("-17") == .number(-17))
        #expect(try value("1.5") == .number(1.5))
        #expect(try value("1e3") == .number(1000))
        #expect(try value("1E+3") == .number(1000))
        #expect(try value("2.5e-3") == .number(0.0025))
        #expect(try value("9007199254740993") == .number(9_007_199_254_740_992))
        #expect(try value("123456789012345678901234567890") == .number(1.2345678901234568e29))
        #expect(try value("1e-400") == .number(0))
    }

    @Test func malformedNumbers() {
        for bad in ["01", "+1", ".5", "1.", "1e", "1e+", "-", "--1", "1.2.3", "0x10", "1a", "-.5"] {
            let error = error("a eq \(bad)")
            #expect(error?.message.hasPrefix("invalid number \"\(bad)\" at column 6: numbers are written as in JSON") == true, "\(bad)")
            #expect(error?.column == 6)
        }
        #expect(error("a eq 1e999")?.message == "number 1e999 at column 6 is out of range")
    }

    @Test func keywordsInAnyCase() throws {
        #expect(try value("true") == .boolean(true))
        #expect(try value("TRUE") == .boolean(true))
        #expect(try value("False") == .boolean(false))
        #expect(try value("NULL") == .null)
        #expect(try value("nUlL") == .null)
    }

    @Test func whitespaceIsFlexible() throws {
        let expected = FilterExpression.and(
            .comparison(AttributePath("a"), .eq, .string("x")), .present(AttributePath("b")))
        #expect(try Filter.parse("a eq \"x\" and b pr") == expected)
        #expect(try Filter.parse("  a\teq\n\"x\"\r\nand   b pr  ") == expected)
        #expect(try Filter.parse("a eq\"x\"and b pr") == expected)
        #expect(try Filter.parse("(a eq \"x\")and(b pr)") == expected)
    }
}
