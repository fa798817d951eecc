import SCIMFilter

/// The value of one sort key in the last row of a page, carried in the page token.
public enum CursorValue: Codable, Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)

    /// A sort key's value as read from a row, typed by the field's type.
    init(_ value: DatabaseValue, type: FieldType) {
        switch (value, type) {
        case (.null, _): self = .null
        case (.integer(let integer), .boolean): self = .boolean(integer != 0)
        case (.integer(let integer), .double): self = .double(Double(integer))
        case (.integer(let integer), _): self = .integer(integer)
        case (.double(let double), _): self = .double(double)
        case (.text(let text), _): self = .text(text)
        case (.boolean(let bool), _): self = .boolean(bool)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .text(let value): .text(value)
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        case .boolean(let value): .boolean(value)
        }
    }

    /// The value as its `Codable` form writes it: `{"s": …}`, `{"i": …}`, and so on.
    var jsonText: String {
        switch self {
        case .null: #"{"n":0}"#
        case .text(let value): #"{"s":\#(JSONValue.string(value).jsonText)}"#
        case .integer(let value): #"{"i":\#(value)}"#
        case .double(let value): value.isFinite ? #"{"d":\#(value)}"# : #"{"n":0}"#
        case .boolean(let value): #"{"b":\#(value)}"#
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
