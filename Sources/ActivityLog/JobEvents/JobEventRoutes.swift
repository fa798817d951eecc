import Hummingbird
import WardenCore

/// `/api/private/lifecycle_management/job_events`: list (`details=true` adds the request and result
/// payloads), get (always with them), export.
public struct JobEventRoutes: Sendable {
    let routes: ActivityRoutes<JobEvent>

    public init(database: Database, signer: PageTokenSigner, exports: ExportJobs) {
        routes = ActivityRoutes(database: database, signer: signer, exports: exports)
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        routes.addExport(to: api)
        routes.addList(to: api) { request in
            try Self.details(request) ? [] : JobEvent.detailColumns
        }
        routes.addGet(to: api, keyParameters: ["job_id"]) { $0.withDetailsShown }
    }

    /// The `details` query parameter: absent, `false` or `0` leave the payloads out; `true` or `1` include them.
    static func details(_ request: Request) throws(APIError) -> Bool {
        switch request.formQuery["details"]?.lowercased() {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        case let other?: throw .invalidArgument("details", "details must be true or false, got \"\(other.prefix(40))\"")
        }
    }
}
