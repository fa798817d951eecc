import Metrics
import WardenCore

/// What the performers report per connector: attempts by outcome, and how long each took.
enum ConnectorMetrics {
    static let attemptsLabel = "warden_lifecycle_connector_attempts_total"
    static let durationLabel = "warden_lifecycle_connector_duration_seconds"

    /// Counts one attempt against `connector` and records its duration.
    static func record(_ connector: Connector, _ result: ActionAttempt.Result, duration: Duration) {
        let outcome = switch result {
        case .succeeded: "succeeded"
        case .transientFailure: "transient"
        case .permanentFailure: "permanent"
        }
        let dimensions = [("connector", connector.name), ("type", connector.type.rawValue)]
        Counter(label: attemptsLabel, dimensions: dimensions + [("outcome", outcome)]).increment()
        Timer(label: durationLabel, dimensions: dimensions, preferredDisplayUnit: .seconds).recordSeconds(duration.inSeconds)
    }
}
