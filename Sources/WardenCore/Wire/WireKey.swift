/// Any member name of a JSON object, for reading objects whose members are not known in advance.
public struct WireKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(stringValue: String) {
        self.stringValue = stringValue
    }

    public init?(intValue: Int) {
        nil
    }
}

extension Decoder {
    /// Throws a decoding error naming the first member of this object that is not one of `Keys` and
    /// is not null (JSON null means "not set", as in protobuf's JSON mapping); `reason` says what is allowed.
    public func rejectUnknownMembers<Keys: CodingKey>(_ keys: Keys.Type, _ reason: String) throws {
        let container = try container(keyedBy: WireKey.self)
        for key in container.allKeys where Keys(stringValue: key.stringValue) == nil {
            guard try !container.decodeNil(forKey: key) else { continue }
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
        }
    }
}
