extension Timestamp {
    /// Parses an RFC 3339 date-time: `YYYY-MM-DD`, a `T`, `t` or space, `hh:mm:ss`, an optional fraction
    /// of one or more digits (digits past the ninth are truncated), then `Z`, `z` or `±hh:mm`.
    ///
    /// Returns nil for anything else, for impossible dates and times (month 13, February 30, hour 24,
    /// second 60: leap seconds are not representable) and for instants outside the `Int64` range.
    public init?(rfc3339 text: String) {
        var text = text
        guard let nanoseconds = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.init(nanosecondsSinceEpoch: nanoseconds)
    }

    /// The instant in UTC with exactly nine fractional digits, e.g. `2026-01-02T03:04:05.123456789Z`.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `rfc3339` to `bytes`.
    public func appendRFC3339(to bytes: inout [UInt8]) {
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            let count = writeRFC3339(into: buffer)
            bytes.append(contentsOf: buffer[..<count])
        }
    }

    /// Writes the UTF-8 bytes of `rfc3339` at the start of `bytes`, which holds at least 32, and
    /// returns how many it wrote.
    public func writeRFC3339(into bytes: UnsafeMutableRawBufferPointer) -> Int {
        precondition(bytes.count >= 32, "an RFC 3339 timestamp needs 32 bytes")
        let (seconds, fraction) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        let wholeSeconds = fraction < 0 ? seconds - 1 : seconds
        let nanoseconds = fraction < 0 ? fraction + 1_000_000_000 : fraction
        let (days, secondOfDay) = Self.floorDivide(wholeSeconds, 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        var count = 0
        func append(_ byte: UInt8) {
            bytes[count] = byte
            count += 1
        }
        func append(_ value: Int64, width: Int) {
            var rest = value
            for position in stride(from: count + width - 1, through: count, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            count += width
        }
        append(year, width: 4)
        append(UInt8(ascii: "-"))
        append(month, width: 2)
        append(UInt8(ascii: "-"))
        append(day, width: 2)
        append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, width: 2)
        append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, width: 2)
        append(UInt8(ascii: ":"))
        append(secondOfDay % 60, width: 2)
        append(UInt8(ascii: "."))
        append(nanoseconds, width: 9)
        append(UInt8(ascii: "Z"))
        return count
    }

    // MARK: Parsing

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                guard bytes[index].isDigit else { return nil }
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), index < bytes.count
        else { return nil }
        let separator = bytes[index] | 0x20
        guard separator == UInt8(ascii: "t") || bytes[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }
        var fraction: Int64 = 0
        if expect(UInt8(ascii: ".")) {
            var digits = 0
            while index < bytes.count, bytes[index].isDigit {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { fraction *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHour = number(2), expect(UInt8(ascii: ":")), let offsetMinute = number(2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offset = sign * (offsetHour * 3600 + offsetMinute * 60)
        default:
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        if seconds < 0, fraction > 0 {
            seconds += 1
            fraction -= 1_000_000_000
        }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (nanoseconds, overflowAdding) = scaled.addingReportingOverflow(fraction)
        return overflowAdding ? nil : nanoseconds
    }

    private static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Calendar (proleptic Gregorian, after Howard Hinnant's algorithms)

    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
