import Hummingbird
import WardenCore

/// Access reviews: certifications, their result rows, reviewer decisions, and smart actions.
public enum AccessReviews {
    /// The access reviews schema, in order.
    public static let migrations: [Migration] = SmartActionDefinition.migrations

    /// Adds every access review route.
    public static func addRoutes(to api: RouterGroup<WardenRequestContext>, database: Database) {
        SmartActionDefinitionRoutes(database: database).add(to: api)
    }
}
