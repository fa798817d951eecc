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
}
