import Hummingbird
import WardenCore

/// Access reviews: certifications, their result rows, reviewer decisions, and smart actions.
public enum AccessReviews {
    /// The access reviews schema, in order.
    public static let migrations: [Migration] = SmartActionDefinition.migrations + ReviewWorkflow.migrations + Certification.migrations + ResultLog.migrations
        + Remediation.migrations

    /// Adds every access review route.
    public static func addRoutes(to api: RouterGroup<WardenRequestContext>, database: Database, signer: PageTokenSigner, exports: ExportJobs) {
        ReviewWorkflowRoutes(database: database, signer: signer).add(to: api)
        CertificationRoutes(database: database, signer: signer).add(to: api)
        ResultRoutes(database: database, signer: signer).add(to: api)
        SmartActionDefinitionRoutes(database: database).add(to: api)
        SmartActionRoutes(database: database).add(to: api)
        ReviewExportRoutes(database: database, exports: exports).add(to: api)
        ExportRoutes(
            exports: exports, path: "preview/awf/exports/access_review", kinds: [ReviewExportRoutes.kind],
            operations: (.getAccessReviewExport, .downloadAccessReviewExport)
        ).add(to: api)
    }
}
