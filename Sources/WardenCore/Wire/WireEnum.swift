/// An enum on the wire: written as its name, read as its name (any letter case) or its number.
///
/// The number is the case's position in `allCases`, as in the protobuf definitions Veza's API comes from.
public protocol WireEnum: Codable, CaseIterable, RawRepresentable, Sendable where RawValue == String, AllCases: RandomAccessCollection, AllCases.Index == Int {}

extension WireEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            guard let value = Self(number: number) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a valid value; expected one of \(Self.allowedNames)")
            }
            self = value
            return
        }
        let name = try container.decode(String.self)
        guard let value = Self(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(name)\" is not a valid value; expected one of \(Self.allowedNames)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The case named `name`, compared without regard to letter case.
    public init?(name: String) {
        if let exact = Self(rawValue: name) {
            self = exact
            return
        }
        let upper = name.uppercased()
        guard let value = Self.allCases.first(where: { $0.rawValue.uppercased() == upper }) else { return nil }
        self = value
    }

    /// The case at position `number`.
    public init?(number: Int) {
        guard Self.allCases.indices.contains(number) else { return nil }
        self = Self.allCases[number]
    }

    /// The names, comma-separated, for error messages.
    public static var allowedNames: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
