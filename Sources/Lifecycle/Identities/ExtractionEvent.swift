import SCIMFilter
import WardenCore

/// One import of a source's identities, and what it found.
public struct ExtractionEvent: Codable, Sendable, Equatable {
    /// How an import treats identities it does not hold.
    public enum Mode: String, WireEnum {
        /// The import is the whole source: an identity absent from it has left.
        case full = "FULL"
        /// The import holds only new and changed identities; nobody leaves.
        case incremental = "INCREMENTAL"
    }

    public enum State: String, WireEnum {
        /// Reading and staging the identities.
        case running = "RUNNING"
        /// Changes recorded, identities updated, tasks created.
        case completed = "COMPLETED"
        /// The import was refused (a bad row) or broke off; nothing of it was applied.
        case failed = "FAILED"
    }

    public var id: String
    public var sourceID: String
    public var mode: Mode
    public var state: State
    public var startedAt: Timestamp
    public var completedAt: Timestamp?
    public var identitiesRead: Int64
    public var joined: Int64
    public var changed: Int64
    public var left: Int64
    public var unchanged: Int64
    public var tasksCreated: Int64
    /// Tasks held back by a policy's safety limit.
    public var tasksBlocked: Int64
    /// Why it failed, or a short summary.
    public var message: String
    public var createdBy: String

    enum CodingKeys: String, CodingKey {
        case id
        case sourceID = "source_id"
        case mode, state
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case identitiesRead = "identities_read"
        case joined, changed, left, unchanged
        case tasksCreated = "tasks_created"
        case tasksBlocked = "tasks_blocked"
        case message
        case createdBy = "created_by"
    }

    static let columns = """
        id, source_id, mode, state, started_at, completed_at, identities_read, joined, changed, left_count, unchanged,
        tasks_created, tasks_blocked, message, created_by
        """

    static func decode(_ row: DatabaseRow) throws -> ExtractionEvent {
        var reader = row.reader()
        return ExtractionEvent(
            id: try reader.text(), sourceID: try reader.text(), mode: try reader.wireEnum(Mode.self), state: try reader.wireEnum(State.self),
            startedAt: try reader.timestamp(), completedAt: try reader.optionalTimestamp(), identitiesRead: try reader.integer(),
            joined: try reader.integer(), changed: try reader.integer(), left: try reader.integer(), unchanged: try reader.integer(),
            tasksCreated: try reader.integer(), tasksBlocked: try reader.integer(), message: try reader.text(), createdBy: try reader.text())
    }
}
