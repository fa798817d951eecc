/// The SCIM filter language (RFC 7644 §3.4.2.2 with errata): parsing and its limits.
///
/// - Paths: `[urn:...:]name[.sub]`; names are `ALPHA *(ALPHA / DIGIT / "-" / "_")` or `$ref`, and keep
///   their spelling (catalogs and records match them ignoring ASCII case). Keywords are valid names
///   where a path is expected (`and eq 1`; `not pr`, since `not` not followed by `(` is a path).
/// - Operators `eq ne co sw ew gt ge lt le pr`, `and`, `or`, `not`, `true`, `false`, `null` in any case.
///   Precedence `not` > `and` > `or`, left-associative. `not` takes a parenthesised filter, as in the
///   RFC: `not (a eq 1)`; `not a eq 1` is an error saying so.
/// - Value paths `emails[type eq "work" and value co "@x.com"]` hold any filter (even another value
///   path); `emails[...].value` is not supported.
/// - Literals are JSON: strings with every JSON escape (raw control characters, bad escapes, unpaired
///   surrogates and `\u0000` are errors), numbers (no leading zeros, `+` or bare `.`; beyond the range
///   of `Double` is an error), `true`, `false`, `null`.
/// - Tokens need no whitespace between them when unambiguous (`a eq"x"`); spaces, tabs, CR and LF separate them.
/// - Error columns are 1-based and count characters (grapheme clusters).
public enum Filter {
    /// The longest filter accepted, in UTF-8 bytes.
    public static let maximumLength = 8192
    /// The deepest nesting accepted: of parentheses (including those of `not`) and value-path brackets,
    /// both in the text and in its canonical form, where every `and`/`or` group is parenthesised.
    public static let maximumDepth = 64

    /// Parses filter text; operators, keywords and attribute names are case-insensitive.
    public static func parse(_ text: String) throws(FilterError) -> FilterExpression {
        let length = text.utf8.count
        guard length <= maximumLength else {
            throw FilterError(message: "filter is \(length) bytes long; the maximum is \(maximumLength)")
        }
        var text = text
        let result = text.withUTF8 { bytes -> Result<FilterExpression, FilterError> in
            do throws(FilterError) {
                var parser = try Parser(bytes)
                return .success(try parser.parse())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
