import WardenCore

/// What a smart action writes into each row it changes: a decision, notes and a sign-off state.
///
/// Veza's type for `mutable_fields` is the whole reviewer-owned part of a row, but only these three
/// can be set by a smart action; any other member with a value is rejected, naming it. Protobuf's
/// zero values (`RESULT_DECISION_UNKNOWN`, `UNKNOWN`, `""`) and `null` mean "not set".
public struct MutableFields: Codable, Sendable, Equatable {
    public var decision: ResultDecision?
    public var notes: String?
    public var signedOffState: SignedOffState?

    public init(decision: ResultDecision? = nil, notes: String? = nil, signedOffState: SignedOffState? = nil) {
        self.decision = decision
        self.notes = notes
        self.signedOffState = signedOffState
    }

    /// Whether the action would set nothing.
    public var isEmpty: Bool { decision == nil && notes == nil && signedOffState == nil }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case decision
        case notes
        case signedOffState = "signed_off_state"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownMembers(CodingKeys.self, "a smart action can set only decision, notes and signed_off_state")
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        decision = try fields.decodeIfPresent(ResultDecision.self, forKey: .decision).flatMap { $0 == .unknown ? nil : $0 }
        notes = try fields.decodeIfPresent(String.self, forKey: .notes).flatMap { $0.isEmpty ? nil : $0 }
        signedOffState = try fields.decodeIfPresent(SignedOffState.self, forKey: .signedOffState).flatMap { $0 == .unknown ? nil : $0 }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(notes, forKey: .notes)
        try container.encodeIfPresent(signedOffState, forKey: .signedOffState)
    }
}
