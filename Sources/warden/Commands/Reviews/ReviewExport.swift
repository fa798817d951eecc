import ArgumentParser
import Foundation
import WardenCore

/// `warden reviews export CERT --out FILE`: the evidence export, polled and downloaded with a
/// progress bar.
struct ReviewExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a certification's rows, with decisions and history, to a CSV file.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The certification's id.") var certification: String
    @Option(help: "A SCIM filter over the rows.") var filter: String?
    @Option(help: "A SCIM filter over decision, signed_off_state and notes.") var mutableFilter: String?
    @Option(help: "e.g. 'source.name asc'.") var orderBy: String?
    @Option(help: "The CSV file to write.") var out: String

    func run() async throws {
        let api = try client.client()
        var body: [String: String] = ["certification_id": certification, "format": "CSV"]
        if let filter { body["filter"] = filter }
        if let mutableFilter { body["mutable_filter"] = mutableFilter }
        if let orderBy { body["order_by"] = orderBy }
        let request = try JSONSerialization.data(withJSONObject: body)
        let rows = try await api.export(
            createPath: "\(Reviews.base)/exports/access_review:create", body: request, statusPath: "\(Reviews.base)/exports/access_review", out: out)
        FileHandle.standardError.write(Data("Wrote \(rows) rows to \(out).\n".utf8))
    }
}
