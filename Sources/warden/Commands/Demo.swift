import ActivityLog
import ArgumentParser
import Foundation
import WardenCore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the database with realistic demo data.",
        subcommands: [Seed.self]
    )

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a deterministic activity log of about N action events, with their tasks, jobs and lifecycle events.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "How many action events to write (whole tasks, so slightly more).")
        var events: Int = 10_000

        @Option(help: "The same seed writes the same log.")
        var seed: UInt64 = 1

        func validate() throws {
            guard events > 0 else { throw ValidationError("--events must be positive") }
        }

        func run() async throws {
            let db = try await database.open(logger: database.logger("warden"))
            var progress = ProgressBar(total: events, unit: "action events")
            let started = ContinuousClock.now
            let written: ActivityLogDemo.Counts
            do {
                written = try await ActivityLogDemo(database: db).seed(actionEvents: events, seed: seed) {
                    progress.update(min($0, events))
                }
            } catch {
                await db.close()
                throw error
            }
            await db.close()
            let seconds = (ContinuousClock.now - started).inSeconds
            print("Wrote \(written.actionEvents) action events, \(written.tasks) workflow tasks, \(written.jobs) jobs and \(written.events) lifecycle events in \(String(format: "%.2f", seconds)) s (\(Int(Double(written.actionEvents) / seconds)) action events per second).")
        }
    }
}
