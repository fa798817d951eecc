/// The single-object envelope: `{"value": {...}}`.
public struct ValueEnvelope<Value: Codable & Sendable>: Codable, Sendable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }
}

/// The empty object `{}` that Veza returns from deletes and custom methods.
public struct EmptyObject: Codable, Sendable, Equatable {
    public init() {}
}
