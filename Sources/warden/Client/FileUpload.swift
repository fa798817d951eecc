import AsyncHTTPClient
import Foundation
import NIOCore

/// A file read in chunks as a request body streams it, so a large upload takes little memory;
/// `progress` hears the bytes read so far. It is read once.
struct FileUpload: AsyncSequence, @unchecked Sendable {
    typealias Element = ByteBuffer

    private let handle: FileHandle
    private let progress: @Sendable (Int) -> Void
    static let chunkSize = 1 << 20

    init(path: String, progress: @escaping @Sendable (Int) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.progress = progress
    }

    /// The file's size in bytes.
    static func size(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The `Content-Type` a file's extension implies: CSV, NDJSON or JSON.
    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "ndjson", "jsonl": "application/x-ndjson"
        case "json": "application/json"
        default: "text/csv"
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        let progress: @Sendable (Int) -> Void
        var sent = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let data = try handle.read(upToCount: FileUpload.chunkSize), !data.isEmpty else {
                try handle.close()
                return nil
            }
            sent += data.count
            progress(sent)
            return ByteBuffer(data: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle, progress: progress)
    }
}
