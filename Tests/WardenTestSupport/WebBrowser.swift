import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser's view of the web UI in tests: it keeps the session cookie the server sets, takes each
/// page's CSRF token from its forms, and posts forms as a browser would.
public final class WebBrowser: @unchecked Sendable {
    public let server: TestServer
    /// The `warden_session` cookie's value; nil before the server sets one or after it clears it.
    public var sessionCookie: String?
    /// The CSRF token of the last page that had a form.
    public var csrfToken: String?

    public init(_ server: TestServer) {
        self.server = server
    }

    /// A browser signed in through the sign-in form with `key`.
    public static func signedIn(_ server: TestServer, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> WebBrowser {
        let browser = WebBrowser(server)
        _ = try await browser.get("/ui/sign_in")
        let response = try await browser.post("/ui/sign_in", ["api_key": key])
        #expect(response.status == .seeOther, "signing in answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        _ = try await browser.follow(response.location ?? "/ui")
        return browser
    }

    public func get(_ uri: String) async throws -> TestResponse {
        try await send(.get, uri, body: nil)
    }

    /// Gets `uri` and follows its redirects, as a browser does; returns the last response.
    public func follow(_ uri: String) async throws -> TestResponse {
        var response = try await get(uri)
        for _ in 0..<5 {
            guard [.found, .seeOther, .movedPermanently].contains(response.status), let location = response.location else { break }
            response = try await get(location)
        }
        return response
    }

    /// Posts `fields` as a form, with the page's CSRF token unless `csrf` is false.
    public func post(_ uri: String, _ fields: [String: String] = [:], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf, let csrfToken { fields["csrf_token"] = csrfToken }
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let sessionCookie { headers[.cookie] = "warden_session=\(sessionCookie)" }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await server.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for cookie in response.headers[values: .setCookie] where cookie.hasPrefix("warden_session=") {
            let value = String(cookie.dropFirst("warden_session=".count).prefix { $0 != ";" })
            sessionCookie = value.isEmpty || Self.hasExpired(cookie) ? nil : value
        }
        if let match = response.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/) {
            csrfToken = String(match.1)
        }
        return response
    }

    /// Whether a `Set-Cookie` line removes its cookie: `Max-Age=0`, or `Expires` not in the future.
    static func hasExpired(_ cookie: String) -> Bool {
        if cookie.contains("Max-Age=0") { return true }
        guard let match = cookie.firstMatch(of: /Expires=([^;]+)/) else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: String(match.1)) else { return false }
        return date <= Date()
    }

    /// `text` escaped as the pages' templates escape it, to find a message in a page.
    public static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension TestResponse {
    /// Where a redirect points.
    public var location: String? { headers[.location] }
}
