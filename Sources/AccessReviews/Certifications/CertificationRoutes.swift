import Hummingbird
import WardenCore

/// `/api/preview/awf/certifications`: create, list (all, or one workflow's) and get.
///
/// Admins and operators create certifications; every role may read them.
public struct CertificationRoutes: Sendable {
    let store: CertificationStore
    let signer: PageTokenSigner

    public init(database: Database, signer: PageTokenSigner) {
        store = CertificationStore(database: database)
        self.signer = signer
    }

    /// Veza's create response.
    struct Created: Encodable, Sendable {
        var certificationID: String

        enum CodingKeys: String, CodingKey {
            case certificationID = "certification_id"
        }
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        let signer = signer
        api.post("preview/awf/certifications") { request, context in
            let caller = try context.require(.admin, .operator)
            let input = try await request.decodeJSON(Certification.Input.self, context: context)
            return JSONResponse(Created(certificationID: try await store.create(input, by: WorkflowUser(caller))))
        }
        api.get("preview/awf/certifications") { request, context in
            try context.require(.admin, .operator, .reviewer, .viewer)
            let list = try ListRequest(Certification.listSpec, request.listParameters, signer: signer)
            return JSONResponse(try await store.list(list, workflowID: request.formQuery["workflow_id"], signer: signer))
        }
        api.get("preview/awf/certifications/{id}") { _, context in
            try context.require(.admin, .operator, .reviewer, .viewer)
            return JSONResponse(ValueEnvelope(try await store.get(id: try context.pathParameter("id"))))
        }
    }
}
