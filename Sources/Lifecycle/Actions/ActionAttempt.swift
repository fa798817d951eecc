import Foundation
import SCIMFilter

/// What one attempt of an action did, as the runner records it: the action event's outcome, the
/// integration job's request and result, and the output later actions may template from.
public struct ActionAttempt: Sendable {
    /// How the attempt ended.
    public enum Result: Sendable, Equatable {
        /// The target did what was asked; `changed` is false when it was already so.
        case succeeded(changed: Bool)
        /// Worth another attempt: connection refused or reset, a timeout, 429 or 5xx.
        case transientFailure
        /// Another attempt would fail the same way: a 4xx other than 408 and 429, a refused recipient.
        case permanentFailure
    }

    public var result: Result
    /// A short account for the action event: what was called and what came back, or, on failure, the
    /// error in words an operator can act on (the target's status code and the start of its body).
    public var message: String
    /// What later actions may template from as `{actions.NAME.FIELD}`: the response's JSON body, or null.
    public var output: JSONValue
    /// Output fields too secret to record (RESET_PASSWORD's `password`): later actions of the same
    /// run may template from them, but they are held in memory only and redacted from everything written.
    public var secretOutput: [String: String] = [:]
    /// The job's request as recorded, secrets redacted.
    public var jobRequest: JSONValue
    /// The job's result as recorded: status, headers of note, the start of the body.
    public var jobResult: JSONValue
    public var startedAt: Timestamp
    public var completedAt: Timestamp
    /// When the target's answer arrived; nil when none did.
    public var responseReceivedAt: Timestamp?
    /// How long the target asked to be left alone (`Retry-After` on a 429 or 503); nil when it did not say.
    public var retryAfter: Duration?

    public init(
        result: Result, message: String, output: JSONValue = .null, jobRequest: JSONValue, jobResult: JSONValue,
        startedAt: Timestamp, completedAt: Timestamp, responseReceivedAt: Timestamp?, retryAfter: Duration? = nil
    ) {
        self.result = result
        self.message = message
        self.output = output
        self.jobRequest = jobRequest
        self.jobResult = jobResult
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.responseReceivedAt = responseReceivedAt
        self.retryAfter = retryAfter
    }
}

extension ActionAttempt {
    /// The attempt with every occurrence of each of `secrets` in its message, output, job request and
    /// result replaced by `[redacted]`.
    func redacting(_ secrets: [String]) -> ActionAttempt {
        let secrets = secrets.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { return self }
        var redacted = self
        redacted.message = Self.redact(message, secrets)
        redacted.output = output.redacting(secrets)
        redacted.jobRequest = jobRequest.redacting(secrets)
        redacted.jobResult = jobResult.redacting(secrets)
        return redacted
    }

    static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: HTTPPerformer.redacted) }
    }
}

extension JSONValue {
    /// The value with every occurrence of each of `secrets` in its strings and keys replaced by `[redacted]`.
    func redacting(_ secrets: [String]) -> JSONValue {
        switch self {
        case .string(let text): .string(ActionAttempt.redact(text, secrets))
        case .array(let elements): .array(elements.map { $0.redacting(secrets) })
        case .object(let members):
            .object(Dictionary(members.map { (ActionAttempt.redact($0.key, secrets), $0.value.redacting(secrets)) }, uniquingKeysWith: { first, _ in first }))
        default: self
        }
    }
}
