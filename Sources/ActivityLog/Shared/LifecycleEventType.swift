import WardenCore

/// What a lifecycle event records.
///
/// Veza's list ends at RESET_PASSWORD where its page was cut; SEND_NOTIFICATION and SEND_REST_PAYLOAD
/// follow for the action types of the same names.
public enum LifecycleEventType: String, WireEnum {
    case none = "NONE"
    case createIdentity = "CREATE_IDENTITY"
    case syncIdentity = "SYNC_IDENTITY"
    case addRelationship = "ADD_RELATIONSHIP"
    case removeRelationship = "REMOVE_RELATIONSHIP"
    case createEmail = "CREATE_EMAIL"
    case changePassword = "CHANGE_PASSWORD"
    case deleteIdentity = "DELETE_IDENTITY"
    case disableIdentity = "DISABLE_IDENTITY"
    case writeBackEmail = "WRITE_BACK_EMAIL"
    case accessRequestComplete = "ACCESS_REQUEST_COMPLETE"
    case customAction = "CUSTOM_ACTION"
    case actionFailed = "ACTION_FAILED"
    case workflowTaskFailed = "WORKFLOW_TASK_FAILED"
    case extractionEventFailed = "EXTRACTION_EVENT_FAILED"
    case createEntitlement = "CREATE_ENTITLEMENT"
    case createGuestAccount = "CREATE_GUEST_ACCOUNT"
    case renameEntitlement = "RENAME_ENTITLEMENT"
    case createAccessReview = "CREATE_ACCESS_REVIEW"
    case resetPassword = "RESET_PASSWORD"
    case sendNotification = "SEND_NOTIFICATION"
    case sendRestPayload = "SEND_REST_PAYLOAD"
}
