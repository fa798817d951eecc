import Foundation

/// One transformer applied after a `|` (Veza's "Then Apply"), with its arguments checked at parse time.
public enum TemplateFunction: Sendable, Hashable {
    case lower, upper, trim, removeDomain, removeWhitespace, removeDiacritics, ascii, lowerSnakeCase
    case append(String)
    case prepend(String)
    case firstN(Int)
    case lastN(Int)
    case replaceAll(String, String)

    /// Every function name, with the arguments it takes, for error messages and docs.
    public static let signatures: [(name: String, arguments: [String])] = [
        ("LOWER", []), ("UPPER", []), ("TRIM", []), ("REMOVE_DOMAIN", []), ("REMOVE_WHITESPACE", []),
        ("REMOVE_DIACRITICS", []), ("ASCII", []), ("LOWER_SNAKE_CASE", []), ("APPEND", ["text"]), ("PREPEND", ["text"]),
        ("FIRST_N", ["count"]), ("LAST_N", ["count"]), ("REPLACE_ALL", ["old", "new"]),
    ]

    /// The function `name` (any letter case) with `arguments`; throws naming the known functions for an
    /// unknown name, or the expected arguments for a wrong count or a count that is not a number.
    init(name: String, arguments: [String], position: Int) throws(TemplateError) {
        let upper = name.uppercased()
        guard let signature = Self.signatures.first(where: { $0.name == upper }) else {
            throw TemplateError(
                "unknown function \(name); the known functions are \(Self.signatures.map(\.name).joined(separator: ", "))",
                position: position)
        }
        guard arguments.count == signature.arguments.count else {
            let expected = signature.arguments.isEmpty ? "no arguments" : signature.arguments.map { "\"\($0)\"" }.joined(separator: ", ")
            throw TemplateError("\(upper) takes \(expected) but was given \(arguments.count) argument(s)", position: position)
        }
        func count() throws(TemplateError) -> Int {
            guard let count = Int(arguments[0]), count >= 0 else {
                throw TemplateError("\(upper) takes a count of characters (a whole number, 0 or more), not \"\(arguments[0])\"", position: position)
            }
            return count
        }
        self = switch upper {
        case "LOWER": .lower
        case "UPPER": .upper
        case "TRIM": .trim
        case "REMOVE_DOMAIN": .removeDomain
        case "REMOVE_WHITESPACE": .removeWhitespace
        case "REMOVE_DIACRITICS": .removeDiacritics
        case "ASCII": .ascii
        case "LOWER_SNAKE_CASE": .lowerSnakeCase
        case "APPEND": .append(arguments[0])
        case "PREPEND": .prepend(arguments[0])
        case "FIRST_N": .firstN(try count())
        case "LAST_N": .lastN(try count())
        default: .replaceAll(arguments[0], arguments[1])
        }
    }

    /// `text` transformed.
    func apply(_ text: String) -> String {
        switch self {
        case .lower: text.lowercased()
        case .upper: text.uppercased()
        case .trim: text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .removeDomain: text.firstIndex(of: "@").map { String(text[..<$0]) } ?? text
        case .removeWhitespace: String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
        case .removeDiacritics: text.folding(options: .diacriticInsensitive, locale: nil)
        case .ascii: Self.ascii(text)
        case .lowerSnakeCase: Self.lowerSnakeCase(text)
        case .append(let suffix): text + suffix
        case .prepend(let prefix): prefix + text
        case .firstN(let count): String(text.prefix(count))
        case .lastN(let count): String(text.suffix(count))
        case .replaceAll(let old, let new): old.isEmpty ? text : text.replacingOccurrences(of: old, with: new)
        }
    }

    /// `text` in printable ASCII, as Veza's `ASCII` transformer: other scripts and letters written as
    /// their closest Latin letters by ICU's `Any-Latin; Latin-ASCII` (`Łukasz` → `Lukasz`, `Straße` →
    /// `Strasse`, `Дмитрий` → `Dmitrij`), then anything still outside printable ASCII dropped.
    private static func ascii(_ text: String) -> String {
        let latin = text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? text
        return String(String.UnicodeScalarView(latin.unicodeScalars.filter { (0x20...0x7E).contains($0.value) }))
    }

    /// Words (split at anything not a letter or digit, and where a lower-case letter meets an upper-case
    /// one) in lower case joined by `_`: "Hello World" and "helloWorld" give "hello_world".
    private static func lowerSnakeCase(_ text: String) -> String {
        var words: [String] = []
        var word = ""
        var previousWasLower = false
        for character in text {
            guard character.isLetter || character.isNumber else {
                if !word.isEmpty { words.append(word) }
                word = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase, previousWasLower, !word.isEmpty {
                words.append(word)
                word = ""
            }
            word += character.lowercased()
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !word.isEmpty { words.append(word) }
        return words.joined(separator: "_")
    }
}
