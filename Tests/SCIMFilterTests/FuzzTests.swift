import SCIMFilter
import Testing

/// Seeded fuzzing: random bytes, token soup, mutations of valid filters and deep nesting. Parsing never
/// crashes; whatever parses prints to text that parses back to the same expression; validation,
/// compilation and evaluation of whatever parses never crash either.
@Suite struct FuzzTests {
    /// SplitMix64, so that a failure reproduces from its seed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        #"state eq "ERRORED""#,
        #"state eq "ERRORED" and action_type eq "SYNC_IDENTITIES" and started_at ge "2026-01-01T00:00:00Z""#,
        #"persisted_at GE "2023-09-14T23:59:59.999999999Z""#,
        #"source.is_active ne "true""#,
        #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
        #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        #"not (action_name sw "Sync") and jobs_started gt 2 or any_changes eq true"#,
        #"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O'Malley""#,
        #"title pr and tags[value ew "\u00e9\\\"\/"] and score le -1.5e-3"#,
        #"((a eq null) or (b ne false)) and not (not (c lt 0))"#,
        #"code co "50%_off\\" and identity_id sw "ID-""#,
    ]
    static let tokens = [
        "(", ")", "[", "]", " ", " and ", " or ", "not ", "not (", " pr", " eq ", " GE ", " co ", #""x""#,
        #""\u00e9""#, #""\"#, #"\u"#, #"\ud83d"#, "1", "-0", "1e5", "01", ".5", "+1", "true", "null", "False", "a",
        "name.sub", "urn:ietf:params:scim:schemas:core:2.0:User:", "$ref", "é", "🙂", "\"", "\t", "\n", "\u{0}", "=", ".",
        ":", "tags[value", "state",
    ]

    @Test func parsePrintParse() throws {
        var random = SplitMix64(state: 0x5C1F_F17E)
        let compilers = [
            SQLCompiler(catalog: TestCatalog.catalog, dialect: SQLiteDialect()),
            SQLCompiler(catalog: TestCatalog.catalog, dialect: PostgreSQLDialect()),
        ]
        let schemaLess = FilterEvaluator()
        let typed = FilterEvaluator(catalog: TestCatalog.catalog)
        let record: JSONValue = [
            "state": "ERRORED", "a": nil, "b": true, "c": -1, "tags": ["é", "x"], "title": "t", "code": "50%_off\\",
            "emails": [["type": "work", "value": "x@example.com"]], "jobs_started": 3, "any_changes": false,
        ]
        var parsed = 0
        var rejected = 0
        for round in 0..<30_000 {
            let text = input(round, using: &random)
            let expression: FilterExpression
            do {
                expression = try Filter.parse(text)
            } catch {
                #expect(!error.message.isEmpty)
                #expect(error.column.map { $0 >= 1 && $0 <= text.count + 1 } ?? true, "\(error) for \(text.debugDescription)")
                rejected += 1
                continue
            }
            parsed += 1
            let printed = expression.description
            if printed.utf8.count <= Filter.maximumLength {
                do {
                    let reparsed = try Filter.parse(printed)
                    #expect(reparsed == expression, "\(text.debugDescription) printed as \(printed.debugDescription)")
                    #expect(reparsed.description == printed)
                } catch {
                    Issue.record("\(text.debugDescription) printed as \(printed.debugDescription), which fails: \(error)")
                }
            }
            _ = try? schemaLess.matches(expression, record)
            _ = try? typed.matches(expression, record)
            for compiler in compilers { _ = try? compiler.compile(expression) }
        }
        #expect(parsed > 3000)
        #expect(rejected > 3000)
    }

    private func input(_ round: Int, using random: inout SplitMix64) -> String {
        switch round % 6 {
        case 0:
            let bytes = (0..<Int.random(in: 0..<64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            return (0..<Int.random(in: 1..<24, using: &random)).map { _ in Self.tokens.randomElement(using: &random)! }.joined()
        case 2:
            return RandomExpressions.expression(depth: 4, using: &random).description
        case 3:
            let depth = Int.random(in: 0..<90, using: &random)
            let opener = ["(", "not (", "a["].randomElement(using: &random)!
            let closer = opener == "a[" ? "]" : ")"
            let inner = Self.seeds.randomElement(using: &random)!
            return String(repeating: opener, count: depth) + inner
                + String(repeating: closer, count: max(0, depth + Int.random(in: -2...1, using: &random)))
        default:
            var scalars = Array((Bool.random(using: &random)
                ? Self.seeds.randomElement(using: &random)!
                : RandomExpressions.expression(depth: 3, using: &random).description).unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&scalars, using: &random) }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            return text
        }
    }

    private func mutate(_ scalars: inout [Unicode.Scalar], using random: inout SplitMix64) {
        guard !scalars.isEmpty else { return }
        let at = Int.random(in: 0..<scalars.count, using: &random)
        let end = min(scalars.count, at + Int.random(in: 1...6, using: &random))
        switch Int.random(in: 0..<6, using: &random) {
        case 0: scalars.insert(Unicode.Scalar(UInt8.random(in: 0...127, using: &random)), at: at)
        case 1: scalars.removeSubrange(at..<end)
        case 2: scalars.insert(contentsOf: scalars[at..<end], at: at)
        case 3: scalars.swapAt(at, Int.random(in: 0..<scalars.count, using: &random))
        case 4: scalars.insert(contentsOf: Self.tokens.randomElement(using: &random)!.unicodeScalars, at: at)
        default: scalars.replaceSubrange(at..<end, with: RandomExpressions.scalars.randomElement(using: &random).map { [$0] } ?? [])
        }
    }
}
