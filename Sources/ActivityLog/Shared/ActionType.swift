import WardenCore

/// What a workflow action does.
public enum ActionType: String, WireEnum {
    case none = "NONE"
    case syncIdentities = "SYNC_IDENTITIES"
    case manageRelationships = "MANAGE_RELATIONSHIPS"
    case createEmail = "CREATE_EMAIL"
    case deprovisionIdentity = "DEPROVISION_IDENTITY"
    case accessPlan = "ACCESS_PLAN"
    case writeBackEmail = "WRITE_BACK_EMAIL"
    case pause = "PAUSE"
    case sendNotification = "SEND_NOTIFICATION"
    case customAction = "CUSTOM_ACTION"
    case createEntitlement = "CREATE_ENTITLEMENT"
    case createAccessReview = "CREATE_ACCESS_REVIEW"
    case resetPassword = "RESET_PASSWORD"
    case deleteIdentity = "DELETE_IDENTITY"
    case sendRestPayload = "SEND_REST_PAYLOAD"
}
