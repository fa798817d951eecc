/// A value that may be NULL, bound as SQL NULL when absent.
public struct SQLOptional<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) {
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value {
            try container.encode(value)
        } else {
            try container.encodeNil()
        }
    }
}
