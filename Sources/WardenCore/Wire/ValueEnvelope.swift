/// The single-object envelope: `{"value": {...}}`; encodable or decodable as its value is.
public struct ValueEnvelope<Value: Sendable>: Sendable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }
}

extension ValueEnvelope: Encodable where Value: Encodable {}
extension ValueEnvelope: Decodable where Value: Decodable {}

/// The empty object `{}` that Veza returns from deletes and custom methods.
public struct EmptyObject: Codable, Sendable, Equatable {
    public init() {}
}
