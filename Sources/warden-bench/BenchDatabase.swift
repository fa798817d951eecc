import Foundation
import Lifecycle
import Logging
import WardenCore
import WardenServer

/// Runs `body` with a migrated Warden database: a new SQLite file in a scratch folder, or the
/// PostgreSQL at `postgresURL` with its lifecycle tables emptied; the folder is removed afterwards.
func withLifecycleDatabase(postgresURL: String?, _ body: (_ database: Database, _ folder: URL, _ logger: Logger) async throws -> Void) async throws {
    var logger = Logger(label: "warden-bench")
    logger.logLevel = .error
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = try await Database.open(
        try postgresURL.map(DatabaseConfiguration.parse) ?? .sqlite(path: folder.appendingPathComponent("warden.sqlite").path), logger: logger)
    do {
        try await database.migrate(WardenServer.migrations)
        if database.kind == .postgres { try await LifecycleBenchmark.empty(database) }
        try await body(database, folder, logger)
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}
