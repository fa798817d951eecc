extension ActionSettings.Pause {
    /// The seconds in each unit a pause duration may use.
    private static let unitSeconds: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    /// A duration written as Go and Veza write them, one or more whole numbers each with a unit
    /// (`s`, `m`, `h`, `d`): `"90s"`, `"15m"`, `"72h"`, `"3d"`, `"1h30m"`; nil for anything else.
    static func duration(parsing text: String) -> Duration? {
        var seconds: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let unit = unitSeconds[character], let number = Int64(digits) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: unit)
            guard !overflow, product < Int64.max / 1_000_000_000 - seconds else { return nil }
            seconds += product
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return .seconds(seconds)
    }
}
