import SCIMFilter
import Testing

/// RFC 3339 parsing and the canonical nine-digit UTC form.
@Suite struct TimestampTests {
    private func nanos(_ text: String) -> Int64? {
        Timestamp(rfc3339: text)?.nanosecondsSinceEpoch
    }

    @Test func epochAndKnownInstants() {
        #expect(nanos("1970-01-01T00:00:00Z") == 0)
        #expect(nanos("2026-01-01T00:00:00Z") == 1_767_225_600_000_000_000)
        #expect(nanos("2023-09-21T12:41:27.111852371Z") == 1_695_300_087_111_852_371)
        #expect(nanos("1969-12-31T23:59:59.999999999Z") == -1)
        #expect(nanos("2000-02-29T00:00:00Z") == 951_782_400_000_000_000)
    }

    @Test func separatorsAndOffsets() {
        let utc = nanos("2026-01-02T03:04:05Z")
        #expect(utc != nil)
        #expect(nanos("2026-01-02t03:04:05z") == utc)
        #expect(nanos("2026-01-02 03:04:05Z") == utc)
        #expect(nanos("2026-01-02T05:04:05+02:00") == utc)
        #expect(nanos("2026-01-01T23:34:05-03:30") == utc)
        #expect(nanos("2026-01-02T03:04:05+00:00") == utc)
        #expect(nanos("2026-01-02T03:04:05-00:00") == utc)
    }

    @Test func fractions() {
        #expect(nanos("1970-01-01T00:00:00.5Z") == 500_000_000)
        #expect(nanos("1970-01-01T00:00:00.000000001Z") == 1)
        #expect(nanos("1970-01-01T00:00:00.123456789Z") == 123_456_789)
        #expect(nanos("1970-01-01T00:00:00.1234567891234Z") == 123_456_789, "digits past the ninth are truncated")
        #expect(nanos("1970-01-01T00:00:00.Z") == nil)
    }

    @Test func invalidDatesAndTimes() {
        for text in [
            "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z",
            "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60",
            "2026-01-01T00:00:00", "2026-01-01", "2026-1-01T00:00:00Z", "2026-01-01T00:00:00ZZ", "2026-01-01X00:00:00Z",
            "2026-01-01T00:00:00+0100", " 2026-01-01T00:00:00Z", "", "yesterday", "2026-01-01T00:00:00.1.2Z",
            "１９７０-01-01T00:00:00Z",
        ] {
            #expect(Timestamp(rfc3339: text) == nil, "\(text)")
        }
        #expect(nanos("2024-02-29T00:00:00Z") != nil)
        #expect(nanos("2000-02-29T00:00:00Z") != nil)
    }

    @Test func range() {
        #expect(nanos("1677-09-21T00:12:43.145224192Z") == .min)
        #expect(nanos("2262-04-11T23:47:16.854775807Z") == .max)
        #expect(nanos("2262-04-11T23:47:16.854775808Z") == nil)
        #expect(nanos("1677-09-21T00:12:43.145224191Z") == nil)
        #expect(nanos("9999-12-31T23:59:59Z") == nil)
        #expect(nanos("0000-01-01T00:00:00Z") == nil)
    }

    @Test func canonicalText() {
        #expect(Timestamp(nanosecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000000000Z")
        #expect(Timestamp(nanosecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp(rfc3339: "2026-01-02T05:04:05.12+02:00")?.rfc3339 == "2026-01-02T03:04:05.120000000Z")
        #expect(Timestamp(nanosecondsSinceEpoch: .min).rfc3339 == "1677-09-21T00:12:43.145224192Z")
        #expect(Timestamp(nanosecondsSinceEpoch: .max).rfc3339 == "2262-04-11T23:47:16.854775807Z")
    }

    @Test func roundTripsEveryInstant() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let timestamp = Timestamp(nanosecondsSinceEpoch: Int64.random(in: .min ... .max, using: &random))
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        }
    }

    @Test func ordering() {
        #expect(Timestamp(nanosecondsSinceEpoch: 1) < Timestamp(nanosecondsSinceEpoch: 2))
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00+01:00")! < Timestamp(rfc3339: "2026-01-01T00:00:00Z")!)
    }
}
