import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import WardenCore

/// A browser for web UI tests, on a `TestServer`: it keeps the `warden_session` cookie Warden sets
/// and sends it back, and signs in through the real `/ui/sign_in` form.
public final class WebBrowser: Sendable {
    public let server: TestServer
    private let cookie = Mutex<String?>(nil)

    public init(server: TestServer) {
        self.server = server
    }

    /// The session cookie's value, nil while the browser has none.
    public var sessionCookie: String? { cookie.withLock { $0 } }

    /// A GET of `uri` (a path on the server), with the session cookie.
    public func get(_ uri: String) async throws -> TestResponse {
        try await send(.get, uri)
    }

    /// `fields` posted as a form to `uri`, with the session cookie; `csrf_token` is added from
    /// `page` when given (the page the form is on).
    public func post(_ uri: String, _ fields: [(String, String)], csrfFrom page: TestResponse? = nil) async throws -> TestResponse {
        var fields = fields
        if let token = page.flatMap({ Self.csrfToken(in: $0.text) }) { fields.append(("csrf_token", token)) }
        return try await send(.post, uri, body: ByteBuffer(string: FormFields.encode(fields)), contentType: "application/x-www-form-urlencoded")
    }

    /// Signs in with `key` through the sign-in form, as a person would; returns the form's answer.
    @discardableResult
    public func signIn(key: String) async throws -> TestResponse {
        let page = try await get("/ui/sign_in")
        return try await post("/ui/sign_in", [("api_key", key), ("return_to", "/ui")], csrfFrom: page)
    }

    /// The value of the hidden `csrf_token` field on a page.
    public static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer? = nil, contentType: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie = sessionCookie { headers[.cookie] = "\(TestServer.sessionCookieName)=\(cookie)" }
        if let contentType { headers[.contentType] = contentType }
        let response = try await server.client.execute(uri: uri, method: method, headers: headers, body: body)
        keepCookie(from: response)
        return response
    }

    /// Takes the session cookie from `Set-Cookie`: a new value replaces the old; an expired one clears it.
    private func keepCookie(from response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let attributes = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = attributes.first, first.hasPrefix("\(TestServer.sessionCookieName)=") else { continue }
            let value = String(first.dropFirst(TestServer.sessionCookieName.count + 1))
            let expired = value.isEmpty || attributes.contains { $0.lowercased() == "max-age=0" || Self.isPast($0) }
            cookie.withLock { $0 = expired ? nil : value }
        }
    }

    /// Whether a `Set-Cookie`'s `Expires=` attribute is in the past.
    private static func isPast(_ attribute: String) -> Bool {
        guard attribute.lowercased().hasPrefix("expires=") else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: String(attribute.dropFirst("expires=".count))).map { $0 <= Date() } ?? false
    }
}

extension TestServer {
    /// The web UI's session cookie.
    public static let sessionCookieName = "warden_session"
}
