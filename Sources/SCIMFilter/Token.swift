/// A token of filter text and its byte range in the UTF-8 text.
struct Token {
    enum Kind: Equatable {
        /// A run of name characters: an attribute path, an operator or a keyword.
        case word
        /// A string literal, decoded.
        case string(String)
        /// A number literal.
        case number(Double)
        case leftParenthesis, rightParenthesis, leftBracket, rightBracket
        /// A character that starts no token (e.g. `=`); the parser reports it in context.
        case unknown
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int
}
