import AccessReviews
import ArgumentParser
import Foundation
import NIOCore
import WardenCore

/// `warden reviews import CERT FILE`: loads rows from a JSON array, NDJSON or CSV file, in calls of
/// `--batch` rows, with a progress bar. Each call is all or nothing; a failed call stops the import
/// and says how many rows were loaded before it.
struct ReviewImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Load rows into a certification from a JSON array, NDJSON or CSV file.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The certification's id.") var certification: String
    @Argument(help: "The file: .json (an array of rows), .ndjson / .jsonl, or .csv with a header.") var file: String
    @Option(help: "Rows per call.") var batch: Int = 5_000

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
    }

    /// The file as chunks of at most `batch` rows, each a body of its own, and its content type.
    func chunks(_ data: Data) throws -> (chunks: [(body: Data, rows: Int)], contentType: String) {
        switch ResultImport.Format(contentType: nil, body: data) {
        case .jsonArray:
            guard let rows = try JSONSerialization.jsonObject(with: data) as? [Any] else {
                throw ValidationError("\(file) is not a JSON array of rows")
            }
            return (try rows.chunks(of: batch).map { (try JSONSerialization.data(withJSONObject: Array($0)), $0.count) }, "application/json")
        case .ndjson:
            let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } }
            return (lines.chunks(of: batch).map { (Data($0.joined(separator: [UInt8(ascii: "\n")])), $0.count) }, "application/x-ndjson")
        case .csv:
            var records = try CSVReader.records(data)
            guard !records.isEmpty else { return ([], "text/csv") }
            let header = records.removeFirst()
            return (records.chunks(of: batch).map { chunk in
                var buffer = ByteBuffer()
                for record in [header] + chunk { CSVWriter.appendRow(record, to: &buffer) }
                return (Data(buffer.readableBytesView), chunk.count)
            }, "text/csv")
        }
    }

    func run() async throws {
        let api = try client.client()
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let (chunks, contentType) = try chunks(data)
        var progress = ProgressBar(total: chunks.reduce(0) { $0 + $1.rows }, unit: "rows")
        var loaded = 0
        try await api.withHTTPClient { http in
            for chunk in chunks {
                do {
                    _ = try await api.send(
                        http, .POST, api.url("\(Reviews.base)/certifications/\(certification)/results:import"), body: chunk.body, contentType: contentType)
                } catch {
                    throw ValidationError("\(error)\nLoaded \(loaded) rows before this call; the rest of \(file) was not loaded.")
                }
                loaded += chunk.rows
                progress.update(loaded)
            }
        }
        FileHandle.standardError.write(Data("Loaded \(loaded) rows into certification \(certification).\n".utf8))
    }
}
