import Hummingbird
import WardenCore

/// Identity sources, their imports (extraction events) and their identities, under
/// `/api/private/lifecycle_management`.
public struct IdentityRoutes: Sendable {
    let sources: IdentitySourceStore
    let identities: IdentityStore
    let importer: IdentityImporter
    let signer: PageTokenSigner
    /// Creates the tasks an applied import's changes trigger, in the import's transaction.
    let plan: @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks

    public init(
        database: Database, signer: PageTokenSigner, clock: LifecycleClock = .system,
        plan: @escaping @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks
    ) {
        sources = IdentitySourceStore(database: database)
        identities = IdentityStore(database: database)
        importer = IdentityImporter(database: database, clock: clock)
        self.signer = signer
        self.plan = plan
    }

    static let prefix = "private/lifecycle_management"

    struct Created: Encodable, Sendable {
        var id: String
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let (sources, identities, importer, signer, plan) = (sources, identities, importer, signer, plan)
        api.get(.init("\(Self.prefix)/identity_sources")) { _, context in
            try context.require(.listIdentitySources)
            return JSONResponse(ListPage(values: try await sources.list(), nextPageToken: "", hasMore: false))
        }
        api.post(.init("\(Self.prefix)/identity_sources")) { request, context in
            let caller = try context.require(.createIdentitySource)
            let input = try await request.decodeJSON(IdentitySource.Input.self, context: context)
            return JSONResponse(Created(id: try await sources.create(input, by: caller.name)))
        }
        api.get(.init("\(Self.prefix)/identity_sources/{id}")) { _, context in
            try context.require(.getIdentitySource)
            return JSONResponse(ValueEnvelope(try await sources.get(try context.pathParameter("id"))))
        }
        api.post(.init("\(Self.prefix)/identity_sources/{id}/identities:import")) { request, context in
            let caller = try context.require(.importIdentities)
            let source = try await sources.get(try context.pathParameter("id"))
            guard let modeName = request.formQuery["mode"], !modeName.isEmpty else {
                throw APIError.invalidArgument(
                    "mode", "mode is required: FULL (the body is the whole source; identities absent from it have left) or INCREMENTAL (new and changed identities only)")
            }
            guard let mode = ExtractionEvent.Mode(name: modeName) else {
                throw APIError.invalidArgument("mode", "mode \"\(modeName)\" is not FULL or INCREMENTAL")
            }
            let event = try await importer.run(
                source: source, mode: mode, contentType: request.headers[.contentType], body: request.body, by: caller.name, afterApplying: plan)
            return JSONResponse(ValueEnvelope(event))
        }
        api.get(.init("\(Self.prefix)/extraction_events/{id}")) { _, context in
            try context.require(.getExtractionEvent)
            return JSONResponse(ValueEnvelope(try await identities.extractionEvent(id: try context.pathParameter("id"))))
        }
        api.get(.init("\(Self.prefix)/identities")) { request, context in
            try context.require(.listIdentities)
            let list = try ListRequest(Identity.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await identities.list(list, sourceID: nil, signer: signer))
        }
        api.get(.init("\(Self.prefix)/identities/{id}")) { _, context in
            try context.require(.getIdentity)
            return JSONResponse(ValueEnvelope(try await identities.get(id: try context.pathParameter("id"))))
        }
    }
}
