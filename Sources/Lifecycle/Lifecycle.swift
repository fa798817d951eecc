import ActivityLog
import Hummingbird
import WardenCore

/// Lifecycle management: identity sources and their identities, policies with versions, the
/// connectors actions call, and the runner that works workflow tasks through their actions,
/// recording every step in the activity log.
public enum Lifecycle {
    /// The lifecycle engine's schema, in order.
    public static let migrations: [Migration] = Identity.migrations + Policy.migrations + Connector.migrations + TaskRun.migrations + SCIMResource.migrations
        + AccessProfile.migrations
}
