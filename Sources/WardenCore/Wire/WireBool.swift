/// A boolean on the wire: `true`/`false`, or the strings `"true"`/`"false"` as Veza's own examples send.
public struct WireBool: Codable, Sendable, Equatable {
    public var value: Bool

    public init(_ value: Bool) {
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self.value = value
            return
        }
        let text = try container.decode(String.self)
        switch text.lowercased() {
        case "true": value = true
        case "false": value = false
        default:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected true or false, got \"\(text)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
