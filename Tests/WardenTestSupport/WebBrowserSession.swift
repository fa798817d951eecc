import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser's view of the web UI for tests: the session cookie and the CSRF token of the last page
/// that had one, kept across requests. Sign in through the real `/ui/sign_in` form with `signIn`.
public struct WebBrowserSession: Sendable {
    public let server: TestServer
    /// The `warden_session` cookie's value; empty when the browser has none.
    public private(set) var sessionCookie = ""
    /// The `csrf_token` of the last page that had a form; empty before any.
    public private(set) var csrfToken = ""

    public static let cookieName = "warden_session"

    /// A browser that has not signed in.
    public init(server: TestServer) {
        self.server = server
    }

    /// A browser signed in with the API key `key` through the sign-in form: it fetches the form
    /// (for its CSRF token and session cookie), posts the key, and opens the page it is sent to.
    public static func signIn(_ server: TestServer, key: String) async throws -> WebBrowserSession {
        var browser = WebBrowserSession(server: server)
        _ = try await browser.get("/ui/sign_in")
        let posted = try await browser.post("/ui/sign_in", ["api_key": key, "return_to": "/ui"])
        guard posted.status == .seeOther, let location = posted.headers[.location] else {
            throw WebBrowserError.signInFailed(status: Int(posted.status.code), body: posted.text)
        }
        _ = try await browser.get(location, followingRedirects: true)
        return browser
    }

    /// `GET path`, following redirects within the UI when asked; remembers cookie and CSRF token.
    public mutating func get(_ path: String, followingRedirects: Bool = false) async throws -> TestResponse {
        var response = try await send(.get, path)
        var hops = 0
        while followingRedirects, [.found, .seeOther].contains(response.status), let location = response.headers[.location], hops < 5 {
            response = try await send(.get, location)
            hops += 1
        }
        return response
    }

    /// Posts a form (`application/x-www-form-urlencoded`) to `path`, with the CSRF token unless
    /// `csrf` is false; remembers cookie and CSRF token.
    public mutating func post(_ path: String, _ fields: KeyValuePairs<String, String>, csrf: Bool = true) async throws -> TestResponse {
        var pairs = fields.map { ($0.key, $0.value) }
        if csrf { pairs.append(("csrf_token", csrfToken)) }
        let body = pairs.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    private mutating func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "text/html"]
        if !sessionCookie.isEmpty { headers[.cookie] = "\(Self.cookieName)=\(sessionCookie)" }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await server.client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for cookie in response.headers[values: .setCookie] {
            let pair = cookie.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            if pair.hasPrefix("\(Self.cookieName)=") { sessionCookie = String(pair.dropFirst(Self.cookieName.count + 1)) }
        }
        if let token = Self.csrfToken(in: response.text) { csrfToken = token }
        return response
    }

    /// The value of the first `csrf_token` form field in `html`.
    public static func csrfToken(in html: String) -> String? {
        guard let match = html.firstMatch(of: /name="csrf_token" value="([^"]+)"/) else { return nil }
        return String(match.1)
    }

    /// `text` as one form value: every byte but the unreserved ones percent-encoded.
    public static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }

    /// `text` escaped as the pages' templates escape it, to find a message in a page.
    public static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// Why a test browser could not do what it was asked.
public enum WebBrowserError: Error {
    case signInFailed(status: Int, body: String)
}
