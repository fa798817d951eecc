import NIOCore
import WardenCore

extension ActionEvent {
    /// The CSV header: one column per field, named as on the wire.
    public static let csvHeader = CodingKeys.allCases.map(\.rawValue)

    /// The event as CSV cells, in `csvHeader` order; timestamps in UTC, absent ones empty.
    public var csvCells: [String] {
        [
            policyTask, actionName, actionType.rawValue, state.rawValue, policyID, String(policyVersionNumber), workflowName,
            identityID, identityName, extractionEvent, String(anyChanges), String(jobsStarted),
            startedAt?.rfc3339 ?? "", completedAt?.rfc3339 ?? "", message,
        ]
    }
}
