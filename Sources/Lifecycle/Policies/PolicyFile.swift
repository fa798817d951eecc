import Foundation
import SCIMFilter
import Yams

/// A policy file as `warden policies create` reads it: the create body plus `config`, in YAML or JSON.
public enum PolicyFile {
    /// Why a policy file could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The JSON body the file holds. YAML for `.yaml`/`.yml`, JSON for `.json`; any other name is
    /// read as JSON when its text starts with `{`, else as YAML.
    public static func body(from data: Data, fileName: String) throws -> JSONValue {
        let text = String(decoding: data, as: UTF8.self)
        let fileExtension = (fileName as NSString).pathExtension.lowercased()
        let isJSON = fileExtension == "json" || (!["yaml", "yml"].contains(fileExtension) && text.drop { $0.isWhitespace }.first == "{")
        let body: JSONValue
        do {
            body = isJSON ? try JSONDecoder().decode(JSONValue.self, from: data) : try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw ReadError(description: "\(fileName) is not valid \(isJSON ? "JSON" : "YAML"): \(error)")
        }
        guard case .object = body else {
            throw ReadError(description: "\(fileName) must hold one policy: an object with name, datasource_ids and config")
        }
        return body
    }

    /// `value` as YAML, object keys in order: what `warden policies get --output yaml` prints, and
    /// what `body(from:fileName:)` reads back to the same value.
    public static func yaml(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value))
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null:
            return Node("null", Tag(.null))
        case .bool(let flag):
            return Node(flag ? "true" : "false", Tag(.bool))
        case .number(let number):
            if let integer = Int64(exactly: number) { return Node(String(integer), Tag(.int)) }
            return Node("\(number)", Tag(.float))
        case .string(let text):
            return Node(text, Tag(.str), .doubleQuoted)
        case .array(let elements):
            return Node(elements.map(node))
        case .object(let members):
            return Node(members.sorted { $0.key < $1.key }.map { (Node($0.key, Tag(.str)), node($0.value)) })
        }
    }
}
