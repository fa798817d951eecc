import ActivityLog
import Foundation
import Hummingbird
import Lifecycle
import SCIMFilter
import WardenCore

/// The Activity Log page (tabs Events, Jobs, Workflow Actions, Workflow Tasks), its CSV export, a
/// detail page per record, and the forms that retry an errored action and run or abandon a blocked task.
struct ActivityPages: Sendable {
    /// A tab with its record type erased, so one route serves all four.
    struct Tab: Sendable {
        let slug: String
        let title: String
        let page: @Sendable (Request) async throws -> (data: [String: Any], status: HTTPResponse.Status)
        let export: @Sendable (Request) throws -> Response
    }

    let renderer: PageRenderer
    let database: Database
    let lifecycle: LifecycleEngine
    let tabs: [Tab]

    init(renderer: PageRenderer, database: Database, signer: PageTokenSigner, exports: ExportJobs, lifecycle: LifecycleEngine) {
        self.renderer = renderer
        self.database = database
        self.lifecycle = lifecycle
        func erase<Record: ActivityRecord>(_ tab: ActivityTab<Record>) -> Tab {
            let store = ActivityStore<Record>(database: database)
            return Tab(
                slug: tab.slug, title: tab.title,
                page: { request in try await tab.page(request, store: store, signer: signer) },
                export: { request in
                    let query = request.formQuery
                    let list = try ListRequest.batches(
                        Record.listSpec, filter: try tab.filter(query), orderBy: query["order_by"], batchSize: ActivityStore<Record>.exportBatchSize)
                    return try exports.streamCSV(filename: "\(Record.resource).csv") { write in try await store.exportCSV(list, write: write) }
                })
        }
        tabs = [erase(ActivityTabs.events), erase(ActivityTabs.jobs), erase(ActivityTabs.actions), erase(ActivityTabs.tasks)]
    }

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("activity/{tab}") { request, context in
            let caller = try context.require(.webActivity)
            let tab = try tab(context)
            var (data, status) = try await tab.page(request)
            data["tabs"] = tabs.map { ["slug": $0.slug, "title": $0.title, "current": $0.slug == tab.slug] }
            data["tab_title"] = tab.title
            data["can_export"] = APIOperation.webActivityExport.permission.allows(caller.role)
            return renderer.page("activity", title: "Activity Log · \(tab.title)", chrome: Chrome(context: context, current: "Activity Log"), data, status: status)
        }
        ui.get("activity/{tab}/export") { request, context in
            try context.require(.webActivityExport)
            do {
                return try tab(context).export(request)
            } catch ActivityListError.quickFilter(let message) {
                throw APIError.invalidArgument("filter", message)
            }
        }
        addDetails(to: ui)
    }

    private func tab(_ context: WebRequestContext) throws -> Tab {
        let slug = try context.pathParameter("tab")
        guard let tab = tabs.first(where: { $0.slug == slug }) else {
            throw APIError.notFound("Activity Log tab \(slug) (the tabs are \(tabs.map(\.slug).joined(separator: ", ")))")
        }
        return tab
    }
}
