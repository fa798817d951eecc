import Hummingbird
import WardenCore

/// `GET /api/v1/providers/custom/templates`: Veza's Python client calls it as its connection test.
/// Warden hosts no custom providers, so any authenticated caller gets an empty list.
struct ProviderTemplateRoutes {
    struct Templates: Encodable, Sendable {
        var values: [String] = []
    }

    func add(to group: RouterGroup<WardenRequestContext>) {
        group.get("v1/providers/custom/templates") { _, context in
            try context.require(.listCustomProviderTemplates)
            return JSONResponse(Templates())
        }
    }
}
