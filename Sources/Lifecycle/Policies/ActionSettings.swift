import ActivityLog
import SCIMFilter

/// The settings of an action, typed by what Warden does for it, with every template parsed.
public enum ActionSettings: Sendable {
    /// SEND_REST_PAYLOAD and CUSTOM_ACTION: one HTTP request through a REST connector.
    case http(HTTP)
    /// SEND_NOTIFICATION through an SMTP connector.
    case mail(Mail)
    /// SEND_NOTIFICATION through a WEBHOOK connector.
    case webhook(Webhook)
    /// PAUSE: wait before the next action.
    case pause(Pause)
    /// SYNC_IDENTITIES, DEPROVISION_IDENTITY, DELETE_IDENTITY, MANAGE_RELATIONSHIPS,
    /// CREATE_ENTITLEMENT, CREATE_EMAIL and RESET_PASSWORD through a SCIM connector.
    case scim(SCIM)
    /// CREATE_ACCESS_REVIEW: a certification of the identity's group memberships on a SCIM target.
    case accessReview(AccessReview)
    /// WRITE_BACK_EMAIL: an address written to the identity in Warden's identity store.
    case writeBack(WriteBack)

    /// The action types Warden performs.
    public static let performedTypes: [ActionType] = [
        .sendRestPayload, .customAction, .sendNotification, .pause, .syncIdentities, .deprovisionIdentity, .deleteIdentity,
        .manageRelationships, .createEntitlement, .createAccessReview, .createEmail, .writeBackEmail, .resetPassword,
    ]

    public struct SCIM: Sendable {
        /// The SCIM connector's name.
        public var connector: String
        public var operation: Operation

        public enum Operation: Sendable {
            case sync, deprovision, delete
            /// Access profiles by name, and groups to revoke by display name (templates, such as
            /// `{entitlement.name}` in a remediation).
            case manageRelationships(grant: [String], revoke: [String], revokeGroups: [Template])
            /// The new group's display name.
            case createEntitlement(Template)
            /// The address template (`{first_name}.{last_name}@example.com`) the candidates come from.
            case createEmail(Template)
            /// The generated password's length.
            case resetPassword(length: Int)
        }
    }

    public struct AccessReview: Sendable {
        /// The SCIM connector whose groups are reviewed.
        public var connector: String
        /// The review workflow's id or name.
        public var reviewWorkflow: String
        /// The reviewer's email; nil for the identity's manager (the identity whose `entity_id` is
        /// the identity's `manager_id`).
        public var reviewer: Template?
        /// The certification's name; nil for "Access of <identity name>".
        public var name: Template?
    }

    public struct WriteBack: Sendable {
        /// The address: `{actions.NAME.email}` of a CREATE_EMAIL action, or a template of its own.
        public var email: Template
        /// The identity attribute written; `email` unless the settings say otherwise.
        public var attribute: String
    }

    public struct HTTP: Sendable {
        /// The REST connector's name.
        public var connector: String
        /// Upper case: GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.
        public var method: String
        /// Appended to the connector's base URL.
        public var path: Template
        /// By header name, in name order.
        public var headers: [(name: String, value: Template)]
        public var body: JSONTemplate?
        /// The statuses that count as success; nil for any 2xx.
        public var successStatuses: [Int]?

        /// The methods an HTTP action may use, and those that need a body.
        static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        static let methodsWithBody: Set<String> = ["POST", "PUT", "PATCH"]
    }

    public struct Mail: Sendable {
        /// The SMTP connector's name.
        public var connector: String
        public var to: [Template]
        public var cc: [Template]
        public var subject: Template
        public var body: Template
    }

    public struct Webhook: Sendable {
        /// The WEBHOOK connector's name.
        public var connector: String
        public var body: JSONTemplate
    }

    public enum Pause: Sendable {
        /// This long after the action starts.
        case duration(Duration)
        /// Until the time the template renders (RFC 3339).
        case until(Template)
    }

    /// The connector the action calls, if any.
    public var connector: String? {
        switch self {
        case .http(let settings): settings.connector
        case .mail(let settings): settings.connector
        case .webhook(let settings): settings.connector
        case .scim(let settings): settings.connector
        case .accessReview(let settings): settings.connector
        case .pause, .writeBack: nil
        }
    }

    /// The actions whose secret `password` output the settings' templates use.
    var secretReferences: Set<String> {
        switch self {
        case .mail(let mail): (mail.subject.paths + mail.body.paths).actionNames(referencing: "password")
        case .webhook(let webhook): webhook.body.paths.actionNames(referencing: "password")
        default: []
        }
    }
}
