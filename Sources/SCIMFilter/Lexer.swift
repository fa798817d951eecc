/// Splits filter text, as UTF-8 bytes, into tokens on demand.
///
/// Malformed string and number literals are errors here; anything else unexpected becomes an
/// `.unknown` token so that the parser can say what it expected instead.
struct Lexer {
    let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func next() throws(FilterError) -> Token {
        while position < bytes.count, bytes[position].isFilterWhitespace { position += 1 }
        let start = position
        guard position < bytes.count else { return Token(kind: .end, start: start, end: start) }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("): return single(.leftParenthesis)
        case UInt8(ascii: ")"): return single(.rightParenthesis)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        case UInt8(ascii: "."):
            if position + 1 < bytes.count, bytes[position + 1].isDigit { return try number() }
            return word()
        default:
            if byte.isLetter || byte >= 0x80 || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "_") { return word() }
            position += min(byte.utf8ScalarLength, bytes.count - position)
            return Token(kind: .unknown, start: start, end: position)
        }
    }

    /// The text of `bytes[start..<end]`.
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The 1-based column, in characters, of the byte at `offset`.
    func column(_ offset: Int) -> Int {
        text(0, offset).count + 1
    }

    private mutating func single(_ kind: Token.Kind) -> Token {
        position += 1
        return Token(kind: kind, start: position - 1, end: position)
    }

    private mutating func word() -> Token {
        let start = position
        while position < bytes.count, bytes[position].isWordByte { position += 1 }
        return Token(kind: .word, start: start, end: position)
    }

    // MARK: Numbers

    private mutating func number() throws(FilterError) -> Token {
        let start = position
        while position < bytes.count, bytes[position].isWordByte || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        let end = position
        guard let isInteger = Self.scanJSONNumber(bytes, start, end) else {
            let column = column(start)
            throw FilterError(
                message: "invalid number \"\(text(start, end))\" at column \(column): numbers are written as in JSON"
                    + " (no leading zeros, \"+\" or bare \".\")",
                column: column)
        }
        if isInteger, end - start <= 16 {
            var value: Int64 = 0
            var index = start
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            while index < end {
                value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            let number = Double(value)
            return Token(kind: .number(negative ? -number : number), start: start, end: end)
        }
        guard let number = Double(text(start, end)), number.isFinite else {
            let column = column(start)
            throw FilterError(message: "number \(text(start, end)) at column \(column) is out of range", column: column)
        }
        return Token(kind: .number(number), start: start, end: end)
    }

    /// Checks `bytes[start..<end]` against the JSON number grammar; returns whether it is a plain integer, or nil.
    private static func scanJSONNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        var index = start
        func digits() -> Int {
            let first = index
            while index < end, bytes[index].isDigit { index += 1 }
            return index - first
        }
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, bytes[index].isDigit else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            _ = digits()
        }
        var isInteger = true
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        return index == end ? isInteger : nil
    }

    // MARK: Strings

    private mutating func string() throws(FilterError) -> Token {
        let start = position
        position += 1
        var segmentStart = position
        var decoded: [UInt8] = []
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let value: String
                if escaped {
                    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<position]))
                    value = String(decoding: decoded, as: UTF8.self)
                } else {
                    value = text(segmentStart, position)
                }
                position += 1
                return Token(kind: .string(value), start: start, end: position)
            }
            if byte == UInt8(ascii: "\\") {
                if !escaped {
                    escaped = true
                    decoded.reserveCapacity(position - start + 16)
                }
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<position]))
                try escape(startingStringAt: start, into: &decoded)
                segmentStart = position
                continue
            }
            if byte < 0x20 {
                let column = column(position)
                let code = String(byte, radix: 16, uppercase: true)
                throw FilterError(
                    message: "control character U+\(String(repeating: "0", count: 4 - code.utf8.count))\(code)"
                        + " in string at column \(column) must be escaped",
                    column: column)
            }
            position += 1
        }
        throw unterminated(start)
    }

    private func unterminated(_ start: Int) -> FilterError {
        let column = column(start)
        return FilterError(message: "unterminated string starting at column \(column)", column: column)
    }

    /// Decodes the escape sequence at `position` (a backslash) and moves past it.
    private mutating func escape(startingStringAt stringStart: Int, into decoded: inout [UInt8]) throws(FilterError) {
        let start = position
        guard position + 1 < bytes.count else { throw unterminated(stringStart) }
        let code = bytes[position + 1]
        position += 2
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(code)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hexQuad(escapeStart: start)
            if (0xDC00...0xDFFF).contains(value) {
                throw invalidEscape(start, position, reason: "a low surrogate without a high surrogate before it")
            }
            if (0xD800...0xDBFF).contains(value) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw invalidEscape(start, position, reason: "a high surrogate without a low surrogate after it") }
                position += 2
                let low = try hexQuad(escapeStart: start)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw invalidEscape(start, position, reason: "a high surrogate without a low surrogate after it")
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            if value == 0 {
                throw invalidEscape(start, position, reason: "NUL characters are not allowed in filter strings")
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw invalidEscape(start, position, reason: "not a Unicode scalar value")
            }
            UTF8.encode(scalar) { decoded.append($0) }
        default:
            position = start + 1 + min(code.utf8ScalarLength, bytes.count - start - 1)
            throw invalidEscape(start, position, reason: "JSON strings allow \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
        }
    }

    private mutating func hexQuad(escapeStart: Int) throws(FilterError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = bytes[position].hexValue else {
                throw invalidEscape(escapeStart, position, reason: "\\u needs four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func invalidEscape(_ start: Int, _ end: Int, reason: String) -> FilterError {
        let column = column(start)
        return FilterError(
            message: "invalid escape \"\(text(start, min(end, bytes.count)))\" in string at column \(column): \(reason)",
            column: column)
    }
}
