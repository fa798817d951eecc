import WardenCore

/// A reviewer's decision on a result row. Written as its `RESULT_DECISION_*` name; read as that name,
/// as the short name Veza's results API uses (`REJECTED`), in any letter case, or as its number.
public enum ResultDecision: String, WireEnum {
    case unknown = "RESULT_DECISION_UNKNOWN"
    case noDecision = "RESULT_DECISION_NONE"
    case accepted = "RESULT_DECISION_ACCEPTED"
    case rejected = "RESULT_DECISION_REJECTED"
    case fixed = "RESULT_DECISION_FIXED"

    static let prefix = "RESULT_DECISION_"

    /// The decision named `name` (full or short, any case) or numbered `name`.
    public init?(wireName name: String) {
        if let value = Self(name: name) ?? Self(name: Self.prefix + name) ?? Int(name).flatMap(Self.init(number:)) {
            self = value
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let value = Self(number: number) {
            self = value
            return
        }
        let text = (try? container.decode(String.self)) ?? ""
        guard let value = Self(wireName: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a decision; expected one of \(Self.allowedNames) (or NONE, ACCEPTED, REJECTED, FIXED)")
        }
        self = value
    }
}
