import AccessReviews
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
        static let configuration = CommandConfiguration(
            abstract: "Write deterministic demo data: an activity log of about N action events (with their tasks, jobs and lifecycle events), and with --results, an access review of that many rows.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "How many action events to write (whole tasks, so slightly more); 10,000 unless only --results is given.")
        var events: Int?

        @Option(help: "Also create a review workflow and a certification of this many rows.")
        var results: Int?

        @Option(help: "The same seed writes the same data.")
        var seed: UInt64 = 1

        func validate() throws {
            if let events, events <= 0 { throw ValidationError("--events must be positive") }
            if let results, results <= 0 { throw ValidationError("--results must be positive") }
        }

        func run() async throws {
            let db = try await database.open(logger: database.logger("warden"))
            do {
                if let events = events ?? (results == nil ? 10_000 : nil) {
                    try await seedActivityLog(events: events, db)
                }
                if let results {
                    try await seedReview(results: results, db)
                }
            } catch {
                await db.close()
                throw error
            }
            await db.close()
        }

        private func seedReview(results: Int, _ db: Database) async throws {
            var progress = ProgressBar(total: results, unit: "result rows")
            let started = ContinuousClock.now
            let seeded = try await AccessReviewsDemo(database: db).seed(results: results, seed: seed) { progress.update($0) }
            let seconds = (ContinuousClock.now - started).inSeconds
            print("Wrote certification \(seeded.certificationID) (workflow \(seeded.workflowID), with \(seeded.definitionIDs.count) smart actions) with \(seeded.rows) rows in \(String(format: "%.2f", seconds)) s (\(Int(Double(seeded.rows) / seconds)) rows per second).")
        }

        private func seedActivityLog(events: Int, _ db: Database) async throws {
            var progress = ProgressBar(total: events, unit: "action events")
            let started = ContinuousClock.now
            let written = try await ActivityLogDemo(database: db).seed(actionEvents: events, seed: seed) {
                progress.update(min($0, events))
            }
            let seconds = (ContinuousClock.now - started).inSeconds
            print("Wrote \(written.actionEvents) action events, \(written.tasks) workflow tasks, \(written.jobs) jobs and \(written.events) lifecycle events in \(String(format: "%.2f", seconds)) s (\(Int(Double(written.actionEvents) / seconds)) action events per second).")
        }
    }
}
