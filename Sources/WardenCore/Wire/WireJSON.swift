import Foundation

/// The JSON coders every endpoint uses, so all bodies look alike.
public enum WireJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Decodes a request body, turning every decoding failure into a 400 that names the field.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }
}

extension APIError {
    /// A 400 describing what was wrong with a JSON body.
    public init(decoding error: DecodingError) {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self = .invalidArgument(field, "\(field) is required")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            self = .invalidArgument(field, "\(field.isEmpty ? "body" : field) has the wrong type: expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            self = .invalidArgument(field, "\(field.isEmpty ? "body" : field) must not be null: expected \(Self.describe(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty {
                self = .invalidArgument("body", "request body is not valid JSON")
            } else {
                self = .invalidArgument(field, "\(field): \(context.debugDescription)")
            }
        @unknown default:
            self = .invalidArgument("body", "request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type, is WireBool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        default: "\(type)".lowercased().contains("array") ? "an array" : "an object"
        }
    }
}

extension WireJSON {
    /// `value` as compact JSON text, for a JSON column.
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// A value read back from a JSON column.
    public static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }
}
