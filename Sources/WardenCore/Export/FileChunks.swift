import Foundation
import NIOCore

/// A file read in chunks of 1 MiB as they are asked for (an upload's body, an import), so a large
/// file takes little memory; `progress` hears the bytes read so far. It is read once.
public struct FileChunks: AsyncSequence, @unchecked Sendable {
    public typealias Element = ByteBuffer

    private let handle: FileHandle
    private let progress: @Sendable (Int) -> Void
    static let chunkSize = 1 << 20

    public init(path: String, progress: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.progress = progress
    }

    /// The file's size in bytes.
    public static func size(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The `Content-Type` a file's extension implies: CSV, NDJSON or JSON.
    public static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "ndjson", "jsonl": "application/x-ndjson"
        case "json": "application/json"
        default: "text/csv"
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        let progress: @Sendable (Int) -> Void
        var sent = 0

        public mutating func next() async throws -> ByteBuffer? {
            guard let data = try handle.read(upToCount: FileChunks.chunkSize), !data.isEmpty else {
                try handle.close()
                return nil
            }
            sent += data.count
            progress(sent)
            return ByteBuffer(data: data)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle, progress: progress)
    }
}
