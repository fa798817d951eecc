import Foundation
import SCIMFilter

/// JSON kept in a TEXT column: task messages, job requests and results.
enum JSONText {
    static func encode(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).jsonText
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
