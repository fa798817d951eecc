import Foundation
import SCIMFilter
import Testing

/// JSONValue decodes and encodes every JSON shape.
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
}
