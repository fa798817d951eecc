import ArgumentParser
import WardenCore
import WardenServer

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration()
        let db = try await Database.open(configuration, logger: database.logger("warden"))
        let applied: [String]
        do {
            applied = try await db.migrate(WardenServer.migrations)
        } catch {
            await db.close()
            throw error
        }
        print(applied.isEmpty ? "Database is up to date (\(configuration.redacted))." : "Applied \(applied.count) migration(s): \(applied.joined(separator: ", "))")
        await db.close()
    }
}
