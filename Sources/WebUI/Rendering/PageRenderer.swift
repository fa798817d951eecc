import Foundation
import Hummingbird
import Mustache
import NIOCore
import WardenCore

/// Renders the web UI's Mustache templates (`Resources/templates`) into HTML responses.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template; a template that does not parse fails here, at start, naming its file.
    public init() async throws {
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw APIError(.internal, "the web UI's templates are missing from the server's resources")
        }
        library = try await MustacheLibrary(directory: directory.path)
    }

    /// `template` rendered with `data` as an HTML response.
    func html(_ template: String, _ data: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        guard let text = library.render(data, withTemplate: template) else {
            return Response(status: .internalServerError, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "missing template \(template)")))
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A page in the site's frame: `template`'s own `data` beside the frame's (`chrome`).
    func page(_ template: String, title: String, chrome: Chrome, _ data: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        var data = data
        data["title"] = title
        data["chrome"] = chrome.values
        return html(template, data, status: status)
    }
}
