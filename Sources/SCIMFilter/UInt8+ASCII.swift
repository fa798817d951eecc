/// Byte classes of filter text and ASCII case folding.
extension UInt8 {
    var isFilterWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D
    }

    var isDigit: Bool { self &- UInt8(ascii: "0") < 10 }

    var isLetter: Bool { (self | 0x20) &- UInt8(ascii: "a") < 26 }

    /// A byte of a word token: letters, digits, `- _ $ : .`, and non-ASCII characters (so that the
    /// parser can reject a name like `café` as a whole).
    var isWordByte: Bool {
        isLetter || isDigit || self >= 0x80 || self == UInt8(ascii: "-") || self == UInt8(ascii: "_") || self == UInt8(ascii: "$")
            || self == UInt8(ascii: ":") || self == UInt8(ascii: ".")
    }

    var hexValue: UInt8? {
        if isDigit { return self - UInt8(ascii: "0") }
        let lower = self | 0x20
        if lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "f") { return lower - UInt8(ascii: "a") + 10 }
        return nil
    }

    /// The length of the UTF-8 sequence this byte starts.
    var utf8ScalarLength: Int {
        switch self {
        case ..<0xC0: 1
        case ..<0xE0: 2
        case ..<0xF0: 3
        default: 4
        }
    }

    /// The byte with A-Z lowered to a-z.
    var asciiLowercased: UInt8 { self &- UInt8(ascii: "A") < 26 ? self | 0x20 : self }
}
