import WardenCore

/// A reviewer's change to one row (`PUT results`, `results:force_update`): `{"value": {...}}`.
///
/// Only the members sent change. Decisions are read as short names (`REJECTED`), `RESULT_DECISION_*`
/// names or numbers; `"decisions"` (a typo in Veza's quick start) is read as `decision`. Notes `" "`
/// clear the notes, as in Veza. Each reviewer needs `user_type`, `id`, `email` and `name`.
public struct ResultUpdate: Decodable, Sendable {
    public var resultID: Int64
    public var decision: ResultDecision?
    public var notes: String?
    public var signedOffState: SignedOffState?
    public var reviewers: [WorkflowUser]?
    /// Accepted on force updates for Veza compatibility; Warden sends no notifications yet.
    public var notificationStatus: String?

    enum Envelope: String, CodingKey {
        case value
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resultID = "result_id"
        case decision
        case decisions
        case notes
        case signedOffState = "signed_off_state"
        case reviewers
        case notificationStatus = "notification_status"
    }

    static let notificationStatuses = ["UNKNOWN", "PENDING", "SUCCEED", "FAILED"]

    public init(from decoder: any Decoder) throws {
        let envelope = try decoder.container(keyedBy: Envelope.self)
        guard envelope.contains(.value) else {
            throw DecodingError.keyNotFound(Envelope.value, .init(codingPath: [], debugDescription: "the body is {\"value\": {...}}"))
        }
        let value = try envelope.superDecoder(forKey: .value)
        try value.rejectUnknownMembers(
            CodingKeys.self, "not a field of a result update; its fields are result_id, decision, notes, signed_off_state, reviewers")
        let container = try value.container(keyedBy: CodingKeys.self)
        resultID = try container.decode(Int64.self, forKey: .resultID)
        decision = try container.decodeIfPresent(ResultDecision.self, forKey: .decision)
            ?? container.decodeIfPresent(ResultDecision.self, forKey: .decisions)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        signedOffState = try container.decodeIfPresent(SignedOffState.self, forKey: .signedOffState)
        reviewers = try container.decodeIfPresent([WorkflowUser].self, forKey: .reviewers)
        notificationStatus = try container.decodeIfPresent(String.self, forKey: .notificationStatus)
    }

    /// Checks values the types alone do not.
    func validate() throws(APIError) {
        if resultID < 0 { throw .invalidArgument("value.result_id", "value.result_id must be ≥ 0, got \(resultID)") }
        if decision == .unknown {
            throw .invalidArgument("value.decision", "RESULT_DECISION_UNKNOWN cannot be set; use NONE, ACCEPTED, REJECTED or FIXED")
        }
        if signedOffState == .unknown {
            throw .invalidArgument("value.signed_off_state", "UNKNOWN cannot be set; use SIGNED_OFF or NOT_SIGNED_OFF")
        }
        for (index, reviewer) in (reviewers ?? []).enumerated() {
            let missing = [("user_type", reviewer.userType), ("id", reviewer.id), ("email", reviewer.email), ("name", reviewer.name)]
                .filter { $0.1.isEmpty }.map(\.0)
            if !missing.isEmpty {
                throw .invalidArgument(
                    "value.reviewers[\(index)]", "value.reviewers[\(index)] needs user_type, id, email and name; missing \(missing.joined(separator: ", "))")
            }
        }
        if let status = notificationStatus, !Self.notificationStatuses.contains(status.uppercased()) {
            throw .invalidArgument(
                "value.notification_status", "\"\(status)\" is not a notification status; expected one of \(Self.notificationStatuses.joined(separator: ", "))")
        }
    }
}
