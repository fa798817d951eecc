import AsyncHTTPClient
import Foundation
import NIOCore

extension HTTPPerformer {
    /// What a status means for the action.
    static func classify(status: Int, successStatuses: [Int]?, replayed: Bool) -> ActionAttempt.Result {
        let succeeded = successStatuses.map { $0.contains(status) } ?? (200..<300).contains(status)
        if succeeded || (successStatuses == nil && status == 304) {
            return .succeeded(changed: !(replayed || status == 304))
        }
        switch status {
        case 408, 429, 500...599: return .transientFailure
        default: return .permanentFailure
        }
    }

    /// `Retry-After` as seconds or an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSinceNow * 1_000)))
    }

    /// A failure to get an answer, in words, and whether trying again may help.
    static func describe(_ error: any Error, timeoutSeconds: Int) -> (ActionAttempt.Result, String) {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return (.transientFailure, "no answer within \(timeoutSeconds) s")
            case .connectTimeout: return (.transientFailure, "connecting timed out")
            case .tlsHandshakeTimeout: return (.transientFailure, "the TLS handshake timed out")
            case .remoteConnectionClosed: return (.transientFailure, "the server closed the connection before answering")
            case .invalidURL, .emptyHost, .emptyScheme: return (.permanentFailure, "the URL is not valid: \(error)")
            default: return (.transientFailure, "\(error)")
            }
        }
        if let (transient, words) = NetworkFailure.describe(error) {
            return (transient ? .transientFailure : .permanentFailure, words)
        }
        if error is CancellationError {
            return (.transientFailure, "cancelled")
        }
        return (.transientFailure, "\(error)")
    }

    /// `url` with any user information replaced by `[redacted]`.
    static func redactingUserInfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + redacted + String(rest[at...])
    }
}
