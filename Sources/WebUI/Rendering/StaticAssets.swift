import Foundation
import Hummingbird
import NIOCore
import WardenCore

/// The stylesheet and script the pages use (`Resources/static`), read once at start and served with
/// a validator so browsers revalidate rather than download again.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    let assets: [String: Asset]

    init() throws {
        guard let directory = Bundle.module.url(forResource: "static", withExtension: nil) else {
            throw APIError(.internal, "the web UI's static files are missing from the server's resources")
        }
        var assets: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let type = switch (name as NSString).pathExtension {
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            default: "application/octet-stream"
            }
            assets[name] = Asset(body: ByteBuffer(data: data), contentType: type, etag: "\"\(DatabaseSessionDriver.hash(String(decoding: data, as: UTF8.self)).prefix(16))\"")
        }
        self.assets = assets
    }

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("static/{file}") { request, context in
            try context.permit(.webStatic)
            guard let asset = assets[try context.pathParameter("file")] else { throw APIError.notFound("static file") }
            if request.headers[.ifNoneMatch] == asset.etag {
                return Response(status: .notModified, headers: [.eTag: asset.etag, .cacheControl: "no-cache"])
            }
            return Response(
                status: .ok, headers: [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"], body: .init(byteBuffer: asset.body))
        }
    }
}
