import Foundation
import Logging
import NIOCore
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// An export that writes a line, says so, and then waits until the test lets it finish or fail.
struct HeldExport: Sendable {
    private struct Failed: Error {}
    private let started: AsyncStream<Void>
    private let startedSignal: AsyncStream<Void>.Continuation
    private let outcome: AsyncStream<Bool>
    private let outcomeSignal: AsyncStream<Bool>.Continuation

    init() {
        (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        (outcome, outcomeSignal) = AsyncStream.makeStream(of: Bool.self)
    }

    var producer: ExportJobs.Producer {
        { [startedSignal, outcome] write in
            try await write(ByteBuffer(string: "id\r\n"))
            startedSignal.yield()
            var outcomes = outcome.makeAsyncIterator()
            guard await outcomes.next() == true else { throw Failed() }
            return 0
        }
    }

    /// Returns once the export has written its first line.
    func writing() async {
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
    }

    func finish() { outcomeSignal.yield(true) }
    func fail() { outcomeSignal.yield(false) }
}

@Suite struct ExportJobsTests {
    /// Export jobs over a fresh database of `kind`, writing to a fresh folder; both removed afterwards.
    static func withExports(
        _ kind: DatabaseKind, maxConcurrent: Int = ExportJobs.defaultMaxConcurrent, _ body: (ExportJobs, URL, Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + ExportJobs.migrations) { database in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-exports-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            var logger = Logger(label: "warden.test")
            logger.logLevel = .critical
            try await body(ExportJobs(database: database, directory: directory, maxConcurrent: maxConcurrent, logger: logger), directory, database)
        }
    }

    static func start(_ exports: ExportJobs, _ produce: @escaping ExportJobs.Producer = { _ in 0 }) async throws -> ExportJob {
        try await exports.start(kind: "action_events", format: .csv, filter: nil, orderBy: nil, createdBy: "test", produce: produce)
    }

    /// The job, polled until it is FINISHED or FAILED (or 5 s have passed).
    static func settled(_ exports: ExportJobs, _ id: String) async throws -> ExportJob.Status {
        for _ in 0..<200 {
            let status = try await exports.get(id: id, downloadPrefix: "").status
            if status == .finished || status == .failed { return status }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await exports.get(id: id, downloadPrefix: "").status
    }

    static func jobCount(_ database: Database) async throws -> Int64 {
        var reader = try #require(try await database.first(database.statement("SELECT COUNT(*) FROM export_jobs"))).reader()
        return try reader.integer()
    }

    @Test(arguments: TestDatabase.kinds)
    func jobsAndStreamsShareTheCap(kind: DatabaseKind) async throws {
        try await Self.withExports(kind, maxConcurrent: 2) { exports, _, database in
            let held = HeldExport()
            let job = try await Self.start(exports, held.producer)
            let streamed = try exports.reserve()

            let refused = await #expect(throws: APIError.self) { try await Self.start(exports) }
            #expect(refused?.code == .resourceExhausted && refused?.code.httpStatus == 429)
            #expect(refused?.message.contains("limit is 2") == true)
            #expect(try await Self.jobCount(database) == 1)
            #expect(throws: APIError.self) { try exports.reserve() }

            streamed.release()
            streamed.release()
            let again = try exports.reserve()
            #expect(throws: APIError.self) { try exports.reserve() }
            again.release()

            held.finish()
            #expect(try await Self.settled(exports, job.id) == .finished)
            let slots = [try exports.reserve(), try exports.reserve()]
            #expect(throws: APIError.self) { try exports.reserve() }
            withExtendedLifetime(slots) {}
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aJobGivesItsSlotBackWhenItFinishesOrFails(kind: DatabaseKind) async throws {
        try await Self.withExports(kind, maxConcurrent: 1) { exports, _, _ in
            let failing = HeldExport()
            let first = try await Self.start(exports, failing.producer)
            await #expect(throws: APIError.self) { try await Self.start(exports) }
            failing.fail()
            #expect(try await Self.settled(exports, first.id) == .failed)

            let second = try await Self.start(exports)
            #expect(try await Self.settled(exports, second.id) == .finished)
            let third = try await Self.start(exports)
            #expect(try await Self.settled(exports, third.id) == .finished)
        }
    }

    @Test func aDroppedSlotIsGivenBack() async throws {
        try await Self.withExports(.sqlite, maxConcurrent: 1) { exports, _, _ in
            var slot: ExportSlot? = try exports.reserve()
            #expect(throws: APIError.self) { try exports.reserve() }
            #expect(slot != nil)
            slot = nil
            #expect(throws: Never.self) { try exports.reserve() }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func sweepRemovesExpiredJobsAndLeftoversButNothingInUse(kind: DatabaseKind) async throws {
        try await Self.withExports(kind) { exports, directory, _ in
            func exists(_ name: String) -> Bool {
                FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
            }
            func status(_ id: String) async throws -> ExportJob.Status {
                try await exports.get(id: id, downloadPrefix: "").status
            }
            func later(_ nanoseconds: Int64) -> Timestamp {
                Timestamp(nanosecondsSinceEpoch: Timestamp.now.nanosecondsSinceEpoch + nanoseconds)
            }
            let finished = try await Self.start(exports) { write in
                try await write(ByteBuffer(string: "id\r\n"))
                return 0
            }
            #expect(try await Self.settled(exports, finished.id) == .finished)
            let failing = HeldExport()
            let failed = try await Self.start(exports, failing.producer)
            failing.fail()
            #expect(try await Self.settled(exports, failed.id) == .failed)
            let held = HeldExport()
            let running = try await Self.start(exports, held.producer)
            await held.writing()
            // What a crash leaves: a partial file, and a whole file whose job never became FINISHED.
            for name in ["crashed.csv.part", "orphan.csv", "notes.txt"] {
                #expect(FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data("x".utf8)))
            }

            try await exports.sweep()
            #expect(!exists("crashed.csv.part") && !exists("orphan.csv") && exists("notes.txt"))
            #expect(exists("\(finished.id).csv") && exists("\(running.id).csv.part"))
            #expect(try await status(finished.id) == .finished)

            try await exports.sweep(now: later(ExportJobs.lifetime + 3_600_000_000_000))
            let expired = try await exports.get(id: finished.id, downloadPrefix: "")
            #expect(expired.status == .expired && expired.message.contains("24 hours") && expired.downloadURL.isEmpty)
            #expect(!exists("\(finished.id).csv"))
            #expect(try await status(failed.id) == .failed)
            #expect(try await status(running.id) == .processing && exists("\(running.id).csv.part"))

            try await exports.sweep(now: later(ExportJobs.retention + 3_600_000_000_000))
            for id in [finished.id, failed.id] {
                await #expect(throws: APIError.notFound("export \(id)")) { try await exports.get(id: id, downloadPrefix: "") }
            }
            #expect(try await status(running.id) == .processing && exists("\(running.id).csv.part"))

            held.finish()
            #expect(try await Self.settled(exports, running.id) == .finished)
            try await exports.sweep()
            let download = try await exports.download(id: running.id)
            #expect(try String(contentsOf: download.file, encoding: .utf8) == "id\r\n")
        }
    }
}
