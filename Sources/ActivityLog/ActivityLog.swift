import WardenCore

/// The lifecycle activity log: workflow tasks, action events, integration jobs and lifecycle events.
public enum ActivityLog {
    /// The activity log's schema, in order.
    public static let migrations: [Migration] = ActionEvent.migrations
}
