import Foundation
import NIOHTTP1
import SCIMFilter

/// One HTTP request and what came of it, as `HTTPPerformer.exchange` sends it: the answer (or why
/// there was none) and the job's request and result as recorded, secrets redacted.
struct HTTPExchange: Sendable {
    enum Answer: Sendable {
        /// The target answered; `complete` is false when the body was longer than the performer reads.
        case answered(status: Int, reason: String, headers: HTTPHeaders, body: Data, complete: Bool)
        /// No answer: connection refused or reset, a timeout, TLS; the result says whether to try again.
        case failed(ActionAttempt.Result, String)
    }

    /// The URL with any user information redacted.
    var shownURL: String
    var answer: Answer
    var jobRequest: JSONValue
    var jobResult: JSONValue
    var duration: Duration
    var completedAt: Timestamp
    /// `Retry-After` of a 429 or 503.
    var retryAfter: Duration?

    /// Whether the target answered at all.
    var answered: Bool {
        if case .answered = answer { true } else { false }
    }
}
