import AccessReviews
import ActivityLog
import Hummingbird
import SCIMFilter
import WardenCore

/// `GET /ui/filter_check?catalog=…&filter=…`: checks a filter as it is typed (`warden.js`'s
/// `data-check-filter`), against the field catalog the API checks it against, and answers with the
/// API's message: `{"ok": true}` or `{"ok": false, "message": "…"}`.
struct FilterCheckRoutes: Sendable {
    /// The catalogs a filter box can name.
    static let catalogs: [String: FieldCatalog] = [
        "results": ResultFields.catalog,
        "results_mutable": ResultFields.mutableCatalog,
        "workflow_tasks": WorkflowTask.listSpec.catalog,
        "action_events": ActionEvent.listSpec.catalog,
        "job_events": JobEvent.listSpec.catalog,
        "events": LifecycleEvent.listSpec.catalog,
    ]

    /// The answer.
    struct Check: Encodable, Sendable {
        var ok: Bool
        var message: String?
    }

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("filter_check") { request, context in
            try context.require(.webCheckFilter)
            let query = request.formQuery
            let name = query["catalog"] ?? ""
            guard let catalog = Self.catalogs[name] else {
                let known = Self.catalogs.keys.sorted().joined(separator: ", ")
                return JSONResponse(Check(ok: false, message: "catalog \"\(name.prefix(40))\" is not one of \(known)"), status: .badRequest)
            }
            do {
                _ = try ListRequest.parseFilter(query["filter"], catalog: catalog)
                return JSONResponse(Check(ok: true))
            } catch let error as APIError {
                return JSONResponse(Check(ok: false, message: error.message))
            }
        }
    }
}
