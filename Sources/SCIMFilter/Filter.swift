/// The SCIM filter language (RFC 7644 §3.4.2.2): parsing and its limits.
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
