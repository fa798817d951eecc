import Foundation
import Logging
import ServiceLifecycle
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct ExportHousekeepingTests {
    /// Whether the file at `url` is gone, polled for up to 5 s.
    static func removed(_ url: URL) async throws -> Bool {
        for _ in 0..<200 {
            if !FileManager.default.fileExists(atPath: url.path) { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return !FileManager.default.fileExists(atPath: url.path)
    }

    static func leave(_ name: String, in directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data("partial".utf8).write(to: file)
        return file
    }

    /// The first sweep runs when the service starts, not an interval later, and graceful shutdown
    /// ends the service while it waits.
    @Test(arguments: TestDatabase.kinds)
    func sweepsAtStartAndStopsOnShutdown(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-exports-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let leftover = try Self.leave("crashed.csv.part", in: directory)
            var logger = Logger(label: "warden.test")
            logger.logLevel = .warning
            let exports = ExportJobs(database: database, directory: directory, logger: logger)
            let group = ServiceGroup(services: [ExportHousekeeping(exports: exports, interval: .seconds(3600), logger: logger)], logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(try await Self.removed(leftover))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// The server sweeps again every interval: a leftover appearing after a sweep goes at a later one.
    @Test(arguments: TestDatabase.kinds)
    func theServerSweepsEveryInterval(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, exportSweepInterval: .milliseconds(20)) { server in
            for name in ["first.csv.part", "second.csv.part", "orphan.csv"] {
                let leftover = try Self.leave(name, in: server.exportDirectory)
                #expect(try await Self.removed(leftover), "\(name)")
            }
        }
    }
}
