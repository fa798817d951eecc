import SCIMFilter
import WardenCore

/// One row of a certification: an identity's access to a resource, and what reviewers did about it.
///
/// The API writes rows straight from their stored JSON (`ResultStore.writer`); this type reads
/// them back, and its `Encodable` form is what that writer must match. An absent timestamp is
/// `null`; an absent user is left out.
public struct ReviewResult: Codable, Sendable, Equatable {
    public var resultID: Int64
    /// The source node's properties (typically the identity), as loaded.
    public var source: JSONValue
    /// The destination node's properties (typically the resource), as loaded.
    public var destination: JSONValue
    public var abstractPermissions: [String]
    public var concretePermissions: [String]
    public var decision: ResultDecision
    public var notes: String
    public var reviewers: [WorkflowUser]
    public var signedOffState: SignedOffState
    public var signedOffAt: Timestamp?
    public var signedOffBy: WorkflowUser?
    public var updatedAt: Timestamp?
    public var updatedBy: WorkflowUser?
    public var actionLog: ActionLog

    enum CodingKeys: String, CodingKey {
        case resultID = "result_id"
        case source
        case destination
        case abstractPermissions = "abstract_permissions"
        case concretePermissions = "concrete_permissions"
        case decision
        case notes
        case reviewers
        case signedOffState = "signed_off_state"
        case signedOffAt = "signed_off_at"
        case signedOffBy = "signed_off_by"
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
        case actionLog = "action_log"
    }
}
