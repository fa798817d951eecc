import SCIMFilter
import WardenCore

/// One application of a smart action to a certification: who, when, which definition, what it
/// did, and whether it was undone.
public struct SmartActionBatch: Codable, Sendable, Equatable {
    public var batchID: String
    public var definitionID: String
    public var definitionName: String
    public var actor: WorkflowUser
    public var time: Timestamp
    public var matched: Int64
    public var changed: Int64
    public var skippedSignedOff: Int64
    public var unchanged: Int64
    public var undoneAt: Timestamp?
    public var undoneBy: WorkflowUser?
    /// Of the changed rows, how many undos have restored so far, and how many they could not
    /// because they had changed again since.
    public var restored: Int64?
    public var notRestored: Int64?

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id"
        case definitionID = "smart_action_definition_id"
        case definitionName = "smart_action_name"
        case actor
        case time
        case matched
        case changed
        case skippedSignedOff = "skipped_signed_off"
        case unchanged
        case undoneAt = "undone_at"
        case undoneBy = "undone_by"
        case restored
        case notRestored = "not_restored"
    }
}

/// What one undo call did: the rows it restored, and those still not restored.
public struct SmartActionUndo: Codable, Sendable, Equatable {
    public var batchID: String
    public var restored: Int64
    public var notRestored: Int64
    /// Of `notRestored`, the rows the batch signed off that stay signed off: the caller may not
    /// force updates, and only such a caller's undo reverses a sign-off.
    public var notRestoredSignedOff: Int64
    /// Why rows were not restored, in words.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id"
        case restored
        case notRestored = "not_restored"
        case notRestoredSignedOff = "not_restored_signed_off"
        case reason
    }
}
