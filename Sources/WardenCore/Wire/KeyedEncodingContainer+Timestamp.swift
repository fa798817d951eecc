import SCIMFilter

extension KeyedEncodingContainer {
    /// An absent timestamp is written as `null`, not left out: every wire type that declares a
    /// `Timestamp?` property gets this from its synthesized `Encodable` conformance.
    public mutating func encodeIfPresent(_ value: Timestamp?, forKey key: Key) throws {
        try encode(value, forKey: key)
    }
}
