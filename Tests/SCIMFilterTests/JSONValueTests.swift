import Foundation
import SCIMFilter
import Testing

/// JSONValue decodes and encodes every JSON shape; Timestamp codes as RFC 3339 text.
@Suite struct JSONValueTests {
    @Test func decodesAndEncodes() throws {
        let text = #"{"a":null,"b":true,"c":1.5,"d":"x","e":[1,"y",false],"f":{"g":{}}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let expected: JSONValue = ["a": nil, "b": true, "c": 1.5, "d": "x", "e": [1, "y", false], "f": ["g": [:]]]
        #expect(value == expected)
        let encoded = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == expected)
    }

    @Test func booleansStayBooleans() throws {
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("[true, 1, 0]".utf8)) == [true, 1, 0])
    }

    @Test func timestampsCodeAsRFC3339() throws {
        let timestamp = try JSONDecoder().decode(Timestamp.self, from: Data(#""2026-01-02T05:04:05.5+02:00""#.utf8))
        #expect(timestamp == Timestamp(rfc3339: "2026-01-02T03:04:05.5Z"))
        #expect(String(decoding: try JSONEncoder().encode(timestamp), as: UTF8.self) == #""2026-01-02T03:04:05.500000000Z""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Timestamp.self, from: Data(#""2026-02-30T00:00:00Z""#.utf8)) }
    }

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let base = Array("abcdefghijklmnopqrstu")
        for special in ["\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "/", "é", "🦊", " ", "\"\"", "\\\n"] {
            for position in 0...base.count {
                var text = base
                text.insert(contentsOf: special, at: position)
                let string = String(text)
                var written: [UInt8] = []
                JSONValue.appendString(string, to: &written)
                #expect(String(decoding: written, as: UTF8.self) == String(decoding: try encoder.encode(string), as: UTF8.self), "\(string.debugDescription)")
            }
        }
    }
}
