import WardenCore

/// What a named connector reaches, and so which actions may use it.
public enum ConnectorType: String, WireEnum {
    /// An HTTP API: base URL, headers, secret headers. For SEND_REST_PAYLOAD and CUSTOM_ACTION.
    case rest = "REST"
    /// One URL that takes a JSON POST. For SEND_NOTIFICATION.
    case webhook = "WEBHOOK"
    /// A mail server. For SEND_NOTIFICATION by e-mail.
    case smtp = "SMTP"
    /// A SCIM 2.0 service provider. For SYNC_IDENTITIES, DEPROVISION_IDENTITY, DELETE_IDENTITY,
    /// MANAGE_RELATIONSHIPS and CREATE_ENTITLEMENT.
    case scim = "SCIM"
}
