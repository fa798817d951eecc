import ArgumentParser
import Foundation
import Lifecycle
import Logging
import WardenCore
import WardenServer

/// Imports of an HR export: a first full import of N joiners, then the same source again with 1%
/// movers, 1% leavers and 1% new joiners (change detection), and an unchanged re-import. Beside
/// them, the ceiling: `sqlite3 .import` / psql `\copy` of the same CSV into a bare table.
struct IdentityImportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "identities", abstract: "Identity imports and their change detection.")

    @Option(help: "Identities in the source.")
    var identities: Int = 1_000_000

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its lifecycle tables are emptied).")
    var postgresURL: String?

    func run() async throws {
        var logger = Logger(label: "warden-bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlitePath = folder.appendingPathComponent("warden.sqlite").path
        let database = try await Database.open(try postgresURL.map(DatabaseConfiguration.parse) ?? .sqlite(path: sqlitePath), logger: logger)
        try await database.migrate(WardenServer.migrations)
        if database.kind == .postgres {
            try await database.transaction { sql in
                for table in ["lcm_identity_changes", "lcm_identities", "lcm_identity_staging", "lcm_extraction_events"] {
                    try await sql.execute(database.statement("DELETE FROM \(table)"))
                }
            }
        }
        let first = folder.appendingPathComponent("hr-1.csv").path
        let second = folder.appendingPathComponent("hr-2.csv").path
        try Self.writeExport(to: first, count: identities, variant: 0)
        try Self.writeExport(to: second, count: identities, variant: 1)
        let size = try FileChunks.size(of: first)
        print("database: \(database.kind.rawValue), \(identities) identities, \(size / 1_000_000) MB of CSV")

        let source = try await IdentitySourceStore(database: database).create(
            .init(name: "bench-\(UUID().uuidString.prefix(8))", idAttribute: "employee_id", nameAttribute: "display_name"), by: "bench")
        let importer = IdentityImporter(database: database)
        let sourceRecord = try await IdentitySourceStore(database: database).get(source)
        for (label, path) in [("first import (all joined)", first), ("change detection (3% differ)", second), ("unchanged re-import", second)] {
            let start = ContinuousClock.now
            let event = try await importer.run(source: sourceRecord, mode: .full, contentType: "text/csv", body: try FileChunks(path: path), by: "bench")
            let seconds = (ContinuousClock.now - start).inSeconds
            print(String(format: "%-30@ %8.2f s  %9.0f identities/s  (%@)", label.padding(toLength: 30, withPad: " ", startingAt: 0) as NSString, seconds, Double(identities) / seconds, event.message as NSString))
        }
        let cli = CLICeiling(kind: database.kind, sqlitePath: sqlitePath, postgresURL: postgresURL)
        let load: String
        switch database.kind {
        case .sqlite:
            load = "CREATE TEMP TABLE bench_hr (employee_id TEXT, display_name TEXT, email TEXT, department TEXT, title TEXT, manager_id TEXT, location TEXT);\n"
                + ".mode csv\n.import --skip 1 \(first) bench_hr\n"
        case .postgres:
            load = "CREATE TEMP TABLE bench_hr (employee_id TEXT, display_name TEXT, email TEXT, department TEXT, title TEXT, manager_id TEXT, location TEXT);\n"
                + "\\copy bench_hr FROM '\(first)' WITH (FORMAT csv, HEADER true)\n"
        }
        let start = ContinuousClock.now
        _ = try cli.runCLI(load)
        let ceiling = (ContinuousClock.now - start).inSeconds
        print(String(format: "%-30@ %8.2f s  %9.0f identities/s", "ceiling: CLI bulk load of the CSV" as NSString, ceiling, Double(identities) / ceiling))
        await database.close()
    }

    /// An HR export of `count` people; variant 1 moves every 100th to another department, drops
    /// every 100th (offset 50) and adds 1% new people at the end.
    static func writeExport(to path: String, count: Int, variant: Int) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        let departments = ["Engineering", "Sales", "Finance", "Support", "Marketing", "Legal", "Research", "Operations"]
        var text = "employee_id,display_name,email,department,title,manager_id,location\n"
        let total = variant == 0 ? count : count + count / 100
        for index in 0..<total {
            if variant == 1, index < count, index % 100 == 50 { continue }
            let moved = variant == 1 && index % 100 == 0
            let department = departments[(index + (moved ? 1 : 0)) % departments.count]
            text += "E\(index),Person \(index),person\(index)@example.com,\(department),Engineer \(index % 5),E\(index / 10),Site \(index % 40)\n"
            if text.utf8.count > 1 << 20 {
                file.write(Data(text.utf8))
                text = ""
            }
        }
        file.write(Data(text.utf8))
    }
}
