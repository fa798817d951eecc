import Hummingbird

/// Every operation Warden serves, and the permission table: who may call each one. API operations
/// are named by their `operationId` in `openapi.yaml`; the web UI's pages and forms (under `/ui`,
/// `isWebPage`) take the access of the API operation whose data they show or change. Every route handler asks this table (`context.require(.getAPIKey)`);
/// no route lists roles of its own. `docs/permissions.md` shows the same table.
///
/// A reviewer that may call an operation on a certification's rows sees and changes only the rows
/// assigned to them (see `docs/access-reviews.md`); admins, operators and viewers see every row.
public enum APIOperation: String, CaseIterable, Sendable {
    case healthz, readyz, metrics
    case listCustomProviderTemplates
    case listAPIKeys, createAPIKey, getAPIKey, revokeAPIKey
    case listWorkflowTasks, listPolicyWorkflowTasks, getWorkflowTask, exportWorkflowTasks, restartWorkflowTask, unblockWorkflowTasks
    case listActionEvents, getActionEvent, exportActionEvents, retryActionEvent
    case listJobEvents, getJobEvent, exportJobEvents
    case listLifecycleEvents, getLifecycleEvent, exportLifecycleEvents
    case getExport, downloadExport
    case listIdentitySources, createIdentitySource, getIdentitySource, importIdentities, getExtractionEvent, listIdentities, getIdentity
    case listReviewWorkflows, createReviewWorkflow, getReviewWorkflow
    case listCertifications, createCertification, getCertification
    case listCertificationResults, updateCertificationResult, forceUpdateCertificationResult, getCertificationResult
    case importCertificationResults
    case applySmartAction, listSmartActionBatches, undoSmartActionBatch
    case createAccessReviewExport, getAccessReviewExport, downloadAccessReviewExport
    case listSmartActionDefinitions, createSmartActionDefinition, updateSmartActionDefinition, getSmartActionDefinition
    case updateSmartActionDefinitionByPath, deleteSmartActionDefinition
    case listPolicies, createPolicy, getPolicy, updatePolicyState, listPolicyVersions, createPolicyDraft
    case getPolicyVersion, updatePolicyVersion, publishPolicyVersion, testPolicy
    case listConnectors, createConnector, getConnector, updateConnector, deleteConnector
    case listAccessProfiles, createAccessProfile, getAccessProfile, replaceAccessProfile, deleteAccessProfile
    case scimGetServiceProviderConfig, scimListSchemas, scimGetSchema, scimListResourceTypes, scimGetResourceType
    case scimSearch, scimListUsers, scimSearchUsers, scimCreateUser, scimGetUser, scimReplaceUser, scimPatchUser, scimDeleteUser
    case scimListGroups, scimSearchGroups, scimCreateGroup, scimGetGroup, scimReplaceGroup, scimPatchGroup, scimDeleteGroup
    case webSignInPage, webSignIn, webOIDCSignIn, webOIDCCallback, webSignOut, webHome, webStatic, webCheckFilter
    case webActivity, webActivityExport, webWorkflowTask, webUnblockWorkflowTask, webActionEvent, webRetryActionEvent, webJobEvent, webLifecycleEvent
    case webCertifications, webReview, webReviewResult, webUpdateReviewResult, webSmartActionPreview, webApplySmartAction, webUndoSmartActionBatch
    case webSmartActionDefinitions, webCreateSmartActionDefinition, webSmartActionDefinition, webUpdateSmartActionDefinition
    case webDeleteSmartActionDefinition, webPolicies, webUpdatePolicyState

    /// Whether this is a page or form of the web UI rather than an API operation.
    public var isWebPage: Bool { permission.path.hasPrefix("/ui") }

    /// The table.
    public var permission: Permission {
        let lifecycle = "/api/private/lifecycle_management"
        let awf = "/api/preview/awf"
        let scim = "/scim/v2"
        return switch self {
        case .healthz: Permission(.get, "/healthz", .noKey)
        case .readyz: Permission(.get, "/readyz", .noKey)
        case .metrics: Permission(.get, "/metrics", .noKey)
        case .listCustomProviderTemplates: Permission(.get, "/api/v1/providers/custom/templates", [.admin, .operator, .reviewer, .viewer])

        case .listAPIKeys: Permission(.get, "/api/preview/keys", [.admin])
        case .createAPIKey: Permission(.post, "/api/preview/keys", [.admin])
        case .getAPIKey: Permission(.get, "/api/preview/keys/{id}", [.admin])
        case .revokeAPIKey: Permission(.post, "/api/preview/keys/{id}:revoke", [.admin])

        case .listWorkflowTasks: Permission(.get, "\(lifecycle)/workflow_tasks", [.admin, .operator, .viewer])
        case .listPolicyWorkflowTasks: Permission(.get, "\(lifecycle)/policies/{policy_id}/workflow_tasks", [.admin, .operator, .viewer])
        case .getWorkflowTask: Permission(.get, "\(lifecycle)/workflow_tasks/{id}", [.admin, .operator, .viewer])
        case .exportWorkflowTasks: Permission(.post, "\(lifecycle)/workflow_tasks:export", [.admin, .operator])
        case .restartWorkflowTask: Permission(.post, "\(lifecycle)/workflow_tasks/{id}:restart", [.admin, .operator])
        case .unblockWorkflowTasks: Permission(.post, "\(lifecycle)/workflow_tasks:unblock", [.admin, .operator])
        case .listActionEvents: Permission(.get, "\(lifecycle)/action_events", [.admin, .operator, .viewer])
        case .getActionEvent: Permission(.get, "\(lifecycle)/action_events/{workflow_task}/{action_name}", [.admin, .operator, .viewer])
        case .exportActionEvents: Permission(.post, "\(lifecycle)/action_events:export", [.admin, .operator])
        case .retryActionEvent: Permission(.post, "\(lifecycle)/action_events/{workflow_task}/{action_name}:retry", [.admin, .operator])
        case .listJobEvents: Permission(.get, "\(lifecycle)/job_events", [.admin, .operator, .viewer])
        case .getJobEvent: Permission(.get, "\(lifecycle)/job_events/{job_id}", [.admin, .operator, .viewer])
        case .exportJobEvents: Permission(.post, "\(lifecycle)/job_events:export", [.admin, .operator])
        case .listLifecycleEvents: Permission(.get, "\(lifecycle)/events", [.admin, .operator, .viewer])
        case .getLifecycleEvent: Permission(.get, "\(lifecycle)/events/{id}", [.admin, .operator, .viewer])
        case .exportLifecycleEvents: Permission(.post, "\(lifecycle)/events:export", [.admin, .operator])
        case .getExport: Permission(.get, "\(lifecycle)/exports/{export_id}", [.admin, .operator])
        case .downloadExport: Permission(.get, "\(lifecycle)/exports/{export_id}:download", [.admin, .operator])
        case .listIdentitySources: Permission(.get, "\(lifecycle)/identity_sources", [.admin, .operator, .viewer])
        case .createIdentitySource: Permission(.post, "\(lifecycle)/identity_sources", [.admin, .operator])
        case .getIdentitySource: Permission(.get, "\(lifecycle)/identity_sources/{id}", [.admin, .operator, .viewer])
        case .importIdentities: Permission(.post, "\(lifecycle)/identity_sources/{id}/identities:import", [.admin, .operator])
        case .getExtractionEvent: Permission(.get, "\(lifecycle)/extraction_events/{id}", [.admin, .operator, .viewer])
        case .listIdentities: Permission(.get, "\(lifecycle)/identities", [.admin, .operator, .viewer])
        case .getIdentity: Permission(.get, "\(lifecycle)/identities/{id}", [.admin, .operator, .viewer])

        case .listReviewWorkflows: Permission(.get, "\(awf)/workflows", [.admin, .operator, .reviewer, .viewer])
        case .createReviewWorkflow: Permission(.post, "\(awf)/workflows", [.admin, .operator])
        case .getReviewWorkflow: Permission(.get, "\(awf)/workflows/{id}", [.admin, .operator, .reviewer, .viewer])
        case .listCertifications: Permission(.get, "\(awf)/certifications", [.admin, .operator, .reviewer, .viewer])
        case .createCertification: Permission(.post, "\(awf)/certifications", [.admin, .operator])
        case .getCertification: Permission(.get, "\(awf)/certifications/{id}", [.admin, .operator, .reviewer, .viewer])
        case .listCertificationResults: Permission(.get, "\(awf)/certifications/{id}/results", [.admin, .operator, .reviewer, .viewer])
        case .updateCertificationResult: Permission(.put, "\(awf)/certifications/{id}/results", [.admin, .operator, .reviewer])
        case .forceUpdateCertificationResult: Permission(.post, "\(awf)/certifications/{id}/results:force_update", [.admin])
        case .getCertificationResult: Permission(.get, "\(awf)/certifications/{id}/results/{result_id}", [.admin, .operator, .reviewer, .viewer])
        case .importCertificationResults: Permission(.post, "\(awf)/certifications/{id}/results:import", [.admin, .operator])
        case .applySmartAction: Permission(.post, "\(awf)/certifications/{id}/results:apply_smart_action", [.admin, .operator, .reviewer])
        case .listSmartActionBatches: Permission(.get, "\(awf)/certifications/{id}/smart_action_batches", [.admin, .operator, .reviewer, .viewer])
        case .undoSmartActionBatch: Permission(.post, "\(awf)/certifications/{id}/smart_action_batches/{batch_id}:undo", [.admin, .operator, .reviewer])
        case .createAccessReviewExport: Permission(.post, "\(awf)/exports/access_review:create", [.admin, .operator, .reviewer])
        case .getAccessReviewExport: Permission(.get, "\(awf)/exports/access_review/{export_id}", [.admin, .operator])
        case .downloadAccessReviewExport: Permission(.get, "\(awf)/exports/access_review/{export_id}:download", [.admin, .operator])
        case .listSmartActionDefinitions: Permission(.get, "\(awf)/smart_action_definitions", [.admin, .operator, .reviewer, .viewer])
        case .createSmartActionDefinition: Permission(.post, "\(awf)/smart_action_definitions", [.admin, .operator])
        case .updateSmartActionDefinition: Permission(.put, "\(awf)/smart_action_definitions", [.admin, .operator])
        case .getSmartActionDefinition: Permission(.get, "\(awf)/smart_action_definitions/{id}", [.admin, .operator, .reviewer, .viewer])
        case .updateSmartActionDefinitionByPath: Permission(.put, "\(awf)/smart_action_definitions/{id}", [.admin, .operator])
        case .deleteSmartActionDefinition: Permission(.delete, "\(awf)/smart_action_definitions/{id}", [.admin, .operator])

        case .listPolicies: Permission(.get, "\(lifecycle)/policies", [.admin, .operator, .viewer])
        case .createPolicy: Permission(.post, "\(lifecycle)/policies", [.admin, .operator])
        case .getPolicy: Permission(.get, "\(lifecycle)/policies/{policy_id}", [.admin, .operator, .viewer])
        case .updatePolicyState: Permission(.patch, "\(lifecycle)/policies/{policy_id}", [.admin, .operator])
        case .listPolicyVersions: Permission(.get, "\(lifecycle)/policies/{policy_id}/versions", [.admin, .operator, .viewer])
        case .createPolicyDraft: Permission(.post, "\(lifecycle)/policies/{policy_id}/versions:create_draft", [.admin, .operator])
        case .getPolicyVersion: Permission(.get, "\(lifecycle)/policies/{policy_id}/versions/{version_number}", [.admin, .operator, .viewer])
        case .updatePolicyVersion: Permission(.put, "\(lifecycle)/policies/{policy_id}/versions/{version_number}", [.admin, .operator])
        case .publishPolicyVersion: Permission(.post, "\(lifecycle)/policies/{policy_id}/versions/{version_number}:publish", [.admin, .operator])
        case .testPolicy: Permission(.post, "\(lifecycle)/policies/{policy_id}:test", [.admin, .operator])
        case .listConnectors: Permission(.get, "\(lifecycle)/connectors", [.admin, .operator, .viewer])
        case .createConnector: Permission(.post, "\(lifecycle)/connectors", [.admin])
        case .getConnector: Permission(.get, "\(lifecycle)/connectors/{id}", [.admin, .operator, .viewer])
        case .updateConnector: Permission(.patch, "\(lifecycle)/connectors/{id}", [.admin])
        case .deleteConnector: Permission(.delete, "\(lifecycle)/connectors/{id}", [.admin])
        case .listAccessProfiles: Permission(.get, "\(lifecycle)/access_profiles", [.admin, .operator, .viewer])
        case .createAccessProfile: Permission(.post, "\(lifecycle)/access_profiles", [.admin])
        case .getAccessProfile: Permission(.get, "\(lifecycle)/access_profiles/{id}", [.admin, .operator, .viewer])
        case .replaceAccessProfile: Permission(.put, "\(lifecycle)/access_profiles/{id}", [.admin])
        case .deleteAccessProfile: Permission(.delete, "\(lifecycle)/access_profiles/{id}", [.admin])

        case .scimGetServiceProviderConfig: Permission(.get, "\(scim)/ServiceProviderConfig", [.provisioner])
        case .scimListSchemas: Permission(.get, "\(scim)/Schemas", [.provisioner])
        case .scimGetSchema: Permission(.get, "\(scim)/Schemas/{id}", [.provisioner])
        case .scimListResourceTypes: Permission(.get, "\(scim)/ResourceTypes", [.provisioner])
        case .scimGetResourceType: Permission(.get, "\(scim)/ResourceTypes/{id}", [.provisioner])
        case .scimSearch: Permission(.post, "\(scim)/.search", [.provisioner])
        case .scimListUsers: Permission(.get, "\(scim)/Users", [.provisioner])
        case .scimSearchUsers: Permission(.post, "\(scim)/Users/.search", [.provisioner])
        case .scimCreateUser: Permission(.post, "\(scim)/Users", [.provisioner])
        case .scimGetUser: Permission(.get, "\(scim)/Users/{id}", [.provisioner])
        case .scimReplaceUser: Permission(.put, "\(scim)/Users/{id}", [.provisioner])
        case .scimPatchUser: Permission(.patch, "\(scim)/Users/{id}", [.provisioner])
        case .scimDeleteUser: Permission(.delete, "\(scim)/Users/{id}", [.provisioner])
        case .scimListGroups: Permission(.get, "\(scim)/Groups", [.provisioner])
        case .scimSearchGroups: Permission(.post, "\(scim)/Groups/.search", [.provisioner])
        case .scimCreateGroup: Permission(.post, "\(scim)/Groups", [.provisioner])
        case .scimGetGroup: Permission(.get, "\(scim)/Groups/{id}", [.provisioner])
        case .scimReplaceGroup: Permission(.put, "\(scim)/Groups/{id}", [.provisioner])
        case .scimPatchGroup: Permission(.patch, "\(scim)/Groups/{id}", [.provisioner])
        case .scimDeleteGroup: Permission(.delete, "\(scim)/Groups/{id}", [.provisioner])

        case .webSignInPage: Permission(.get, "/ui/sign_in", .noKey)
        case .webSignIn: Permission(.post, "/ui/sign_in", .noKey)
        case .webOIDCSignIn: Permission(.get, "/ui/sign_in/oidc", .noKey)
        case .webOIDCCallback: Permission(.get, "/ui/oidc/callback", .noKey)
        case .webSignOut: Permission(.post, "/ui/sign_out", [.admin, .operator, .reviewer, .viewer])
        case .webHome: Permission(.get, "/ui", [.admin, .operator, .reviewer, .viewer])
        case .webStatic: Permission(.get, "/ui/static/{file}", .noKey)
        case .webCheckFilter: Permission(.get, "/ui/filter_check", [.admin, .operator, .reviewer, .viewer])
        case .webActivity: Self.listActionEvents.page(.get, "/ui/activity/{tab}")
        case .webActivityExport: Self.exportActionEvents.page(.get, "/ui/activity/{tab}/export")
        case .webWorkflowTask: Self.getWorkflowTask.page(.get, "/ui/workflow_tasks/{id}")
        case .webUnblockWorkflowTask: Self.unblockWorkflowTasks.page(.post, "/ui/workflow_tasks/{id}/unblock")
        case .webActionEvent: Self.getActionEvent.page(.get, "/ui/action_events/{workflow_task}/{action_name}")
        case .webRetryActionEvent: Self.retryActionEvent.page(.post, "/ui/action_events/{workflow_task}/{action_name}/retry")
        case .webJobEvent: Self.getJobEvent.page(.get, "/ui/job_events/{job_id}")
        case .webLifecycleEvent: Self.getLifecycleEvent.page(.get, "/ui/events/{id}")
        case .webCertifications: Self.listCertifications.page(.get, "/ui/reviews")
        case .webReview: Self.listCertificationResults.page(.get, "/ui/reviews/{id}")
        case .webReviewResult: Self.getCertificationResult.page(.get, "/ui/reviews/{id}/results/{result_id}")
        case .webUpdateReviewResult: Self.updateCertificationResult.page(.post, "/ui/reviews/{id}/results/{result_id}")
        case .webSmartActionPreview: Self.applySmartAction.page(.get, "/ui/reviews/{id}/smart_actions/{definition_id}")
        case .webApplySmartAction: Self.applySmartAction.page(.post, "/ui/reviews/{id}/smart_actions/{definition_id}")
        case .webUndoSmartActionBatch: Self.undoSmartActionBatch.page(.post, "/ui/reviews/{id}/batches/{batch_id}/undo")
        case .webSmartActionDefinitions: Self.listSmartActionDefinitions.page(.get, "/ui/smart_actions")
        case .webCreateSmartActionDefinition: Self.createSmartActionDefinition.page(.post, "/ui/smart_actions")
        case .webSmartActionDefinition: Self.getSmartActionDefinition.page(.get, "/ui/smart_actions/{id}")
        case .webUpdateSmartActionDefinition: Self.updateSmartActionDefinitionByPath.page(.post, "/ui/smart_actions/{id}")
        case .webDeleteSmartActionDefinition: Self.deleteSmartActionDefinition.page(.post, "/ui/smart_actions/{id}/delete")
        case .webPolicies: Self.listPolicies.page(.get, "/ui/policies")
        case .webUpdatePolicyState: Self.updatePolicyState.page(.post, "/ui/policies/{policy_id}/state")
        }
    }

    /// A web page or form at `path` that shows or changes what this API operation does, for the same roles.
    private func page(_ method: HTTPRequest.Method, _ path: String) -> Permission {
        Permission(method, path, permission.access)
    }
}
