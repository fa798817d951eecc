import Foundation
import Hummingbird
import HummingbirdAuth
import WardenCore

/// The per-request state of a web page: the API's (request id, logger) plus the browser's session
/// and, once `WebUserMiddleware` has read it, the signed-in person as a caller of the permission table.
public struct WebRequestContext: ChildRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let requestID: String
    public let sessions: SessionContext<WebSession>
    /// The signed-in person, as the caller the permission table and the stores know.
    public var caller: APIKey?

    public init(context: WardenRequestContext) {
        self.coreContext = context.coreContext
        self.requestID = context.requestID
        self.sessions = SessionContext()
        self.caller = nil
    }

    public var maxUploadSize: Int { WardenRequestContext.uploadLimit }

    /// Checks the signed-in person against `operation`'s row of the permission table: a 401 (shown as
    /// the sign-in page) when no one is signed in, a 403 when their role is not in the row.
    @discardableResult
    public func require(_ operation: APIOperation) throws -> APIKey {
        try operation.authorize(caller)
        guard let caller else { throw APIError(.unauthenticated, "sign in to see this page") }
        return caller
    }

    /// Checks `operation`'s row of the permission table, for pages anyone may open (signed in or not).
    public func permit(_ operation: APIOperation) throws {
        try operation.authorize(caller)
    }

    /// A path parameter, percent-decoded once.
    public func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.invalidArgument(name, "\(name) is not valid percent-encoding: \(raw)")
        }
        return decoded
    }

    /// The session's CSRF token, making a session for it when the browser has none yet.
    public var csrfToken: String {
        if let token = sessions.session?.csrfToken { return token }
        let session = WebSession()
        sessions.createSession(session)
        return session.csrfToken
    }
}
