import SCIMFilter
import SQLKit

/// The value of one sort key in the last row of a page, carried in the page token.
public enum CursorValue: Codable, Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)

    /// Reads the sort key `column` of `row`, decoded as the field's type.
    init(row: any SQLRow, column: String, type: FieldType) throws {
        if try row.decodeNil(column: column) {
            self = .null
            return
        }
        switch type {
        case .string, .enumeration, .stringArray: self = .text(try row.decode(column: column, as: String.self))
        case .integer, .timestamp: self = .integer(try row.decode(column: column, as: Int64.self))
        case .double: self = .double(try row.decode(column: column, as: Double.self))
        case .boolean: self = .boolean(try row.decode(column: column, as: Bool.self))
        }
    }

    var encodable: (any Encodable & Sendable)? {
        switch self {
        case .null: nil
        case .text(let value): value
        case .integer(let value): value
        case .double(let value): value
        case .boolean(let value): value
        }
    }

    private enum CodingKeys: String, CodingKey { case n, s, i, d, b }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(String.self, forKey: .s) {
            self = .text(value)
        } else if let value = try container.decodeIfPresent(Int64.self, forKey: .i) {
            self = .integer(value)
        } else if let value = try container.decodeIfPresent(Double.self, forKey: .d) {
            self = .double(value)
        } else if let value = try container.decodeIfPresent(Bool.self, forKey: .b) {
            self = .boolean(value)
        } else {
            self = .null
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .null: try container.encode(0, forKey: .n)
        case .text(let value): try container.encode(value, forKey: .s)
        case .integer(let value): try container.encode(value, forKey: .i)
        case .double(let value): try container.encode(value, forKey: .d)
        case .boolean(let value): try container.encode(value, forKey: .b)
        }
    }
}
