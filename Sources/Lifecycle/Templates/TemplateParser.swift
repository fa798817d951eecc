/// Reads template text into segments, reporting the first problem with its character position.
struct TemplateParser {
    private let characters: [Character]
    private var index = 0

    init(_ source: String) {
        characters = Array(source)
    }

    /// The 1-based position of the current character.
    private var position: Int { index + 1 }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    mutating func parseSegments() throws(TemplateError) -> [Template.Segment] {
        var segments: [Template.Segment] = []
        var literal = ""
        while let character = current {
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch (character, next) {
            case ("{", "{"), ("}", "}"):
                literal.append(character)
                index += 2
            case ("{", _):
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                index += 1
                segments.append(try parseReference())
            case ("}", _):
                throw TemplateError("a lone } outside a reference; write }} for a literal brace", position: position)
            default:
                literal.append(character)
                index += 1
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }

    /// `path (| FUNCTION (, argument)*)* }`, after the opening brace.
    private mutating func parseReference() throws(TemplateError) -> Template.Segment {
        skipSpaces()
        let path = try parsePath()
        var functions: [TemplateFunction] = []
        while true {
            skipSpaces()
            switch current {
            case "}":
                index += 1
                return .reference(path, functions)
            case "|":
                index += 1
                functions.append(try parseFunction())
            case nil:
                throw TemplateError("the reference is not closed: expected | or }", position: position)
            case let character?:
                throw TemplateError("expected | or } after \"\(path.text)\", found \"\(character)\"", position: position)
            }
        }
    }

    /// An attribute name, or dotted names; each name is letters, digits, `_`, `-` or `$`.
    private mutating func parsePath() throws(TemplateError) -> TemplatePath {
        var components: [String] = []
        while true {
            let start = position
            let name = readName(allowingSpaces: true)
            guard !name.isEmpty else {
                let found = current.map { "\"\($0)\"" } ?? "the end of the template"
                let what = components.isEmpty ? "an attribute name after {" : "a name after ."
                throw TemplateError("expected \(what), found \(found); write {{ for a literal brace", position: start)
            }
            components.append(name)
            guard current == "." else { return TemplatePath(components: components) }
            index += 1
        }
    }

    /// `NAME (, argument)*` after a `|`.
    private mutating func parseFunction() throws(TemplateError) -> TemplateFunction {
        skipSpaces()
        let start = position
        let name = readName()
        guard !name.isEmpty else {
            throw TemplateError("expected a function name after |", position: start)
        }
        var arguments: [String] = []
        while true {
            skipSpaces()
            guard current == "," else { break }
            index += 1
            skipSpaces()
            arguments.append(try parseArgument())
        }
        return try TemplateFunction(name: name, arguments: arguments, position: start)
    }

    /// A double-quoted string (`\"` and `\\` escaped) or a whole number.
    private mutating func parseArgument() throws(TemplateError) -> String {
        let start = position
        if current == "\"" {
            index += 1
            var text = ""
            while let character = current {
                index += 1
                switch character {
                case "\"":
                    return text
                case "\\":
                    guard let escaped = current else { break }
                    text.append(escaped)
                    index += 1
                default:
                    text.append(character)
                }
            }
            throw TemplateError("the quoted argument is not closed: expected \"", position: start)
        }
        var number = ""
        if current == "-" {
            number.append("-")
            index += 1
        }
        while let character = current, character.isASCII, character.isNumber {
            number.append(character)
            index += 1
        }
        guard number.contains(where: \.isNumber) else {
            let found = current.map { "\"\($0)\"" } ?? "the end of the template"
            throw TemplateError("expected an argument (a \"quoted string\" or a number), found \(found)", position: start)
        }
        return number
    }

    /// Letters, digits, `_`, `-` and `$`; with `allowingSpaces`, also spaces between them (action
    /// names such as `Create AD User`), trailing spaces left unread.
    private mutating func readName(allowingSpaces: Bool = false) -> String {
        let start = index
        var end = index
        while let character = current {
            if character.isLetter || character.isNumber || character == "_" || character == "-" || character == "$" {
                index += 1
                end = index
            } else if allowingSpaces, character == " ", end > start {
                index += 1
            } else {
                break
            }
        }
        index = end
        return String(characters[start..<end])
    }

    private mutating func skipSpaces() {
        while let character = current, character == " " || character == "\t" {
            index += 1
        }
    }
}

