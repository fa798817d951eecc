import Hummingbird
import WardenCore

/// `/api/preview/awf/certifications`: create, list (all, or one workflow's) and get.
///
/// Who may call each is in the permission table; a reviewer's row counts count only their rows.
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
            let caller = try context.require(.createCertification)
            let input = try await request.decodeJSON(Certification.Input.self, context: context)
            return JSONResponse(Created(certificationID: try await store.create(input, by: WorkflowUser(caller))))
        }
        api.get("preview/awf/certifications") { request, context in
            let caller = try context.require(.listCertifications)
            let list = try ListRequest(Certification.listSpec, request.listParameters, signer: signer)
            return JSONResponse(
                try await store.list(list, workflowID: request.formQuery["workflow_id"], signer: signer, for: ReviewerAssignment(caller)))
        }
        api.get("preview/awf/certifications/{id}") { _, context in
            let caller = try context.require(.getCertification)
            return JSONResponse(ValueEnvelope(try await store.get(id: try context.pathParameter("id"), for: ReviewerAssignment(caller))))
        }
    }
}
