import SCIMFilter
import WardenCore

/// A lifecycle policy (Veza's shape): which identity sources it watches, its state, its live and
/// draft version numbers, and how failed workflows are retried.
public struct Policy: Encodable, Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var state: PolicyState
    /// The identity sources whose changes it reacts to.
    public var datasourceIDs: [String]
    /// The live version; 0 before the first publish.
    public var currentVersionNumber: Int
    /// The version being edited; 0 if there is none.
    public var draftVersionNumber: Int
    /// The live version, on a get; nil when none is published (or in lists).
    public var currentVersion: PolicyVersion?
    /// How many times a failed workflow is retried.
    public var retryCount: Int
    public var noRetryForFailedWorkflows: Bool
    public var safetyLimitSettings: SafetyLimitSettings
    public var createdAt: Timestamp
    public var createdBy: String
    public var updatedAt: Timestamp

    /// The retry count when a create body gives none (Veza's default).
    public static let defaultRetryCount = 10

    enum CodingKeys: String, CodingKey {
        case id, name, description, state
        case datasourceIDs = "datasource_ids"
        case currentVersionNumber = "current_version_number"
        case draftVersionNumber = "draft_version_number"
        case currentVersion = "current_version"
        case retryCount = "retry_count"
        case noRetryForFailedWorkflows = "no_retry_for_failed_workflows"
        case safetyLimitSettings = "safety_limit_settings"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
    }
}

/// When a policy stops making changes: at most this many identities changed in one extraction, or
/// this percentage of a source's identities. 0 means no limit.
public struct SafetyLimitSettings: Codable, Sendable, Equatable {
    public var maxChangesAbsolute: Int
    public var maxChangesPercent: Int

    public init(maxChangesAbsolute: Int = 0, maxChangesPercent: Int = 0) {
        self.maxChangesAbsolute = maxChangesAbsolute
        self.maxChangesPercent = maxChangesPercent
    }

    enum CodingKeys: String, CodingKey {
        case maxChangesAbsolute = "max_changes_absolute"
        case maxChangesPercent = "max_changes_percent"
    }
}
