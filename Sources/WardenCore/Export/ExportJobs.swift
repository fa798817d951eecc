import Foundation
import Logging
import NIOCore
import SCIMFilter
import Synchronization

/// Runs exports in the background into files under one folder, and tracks them in `export_jobs`.
///
/// A job is written to `<id>.csv.part` and renamed when complete, so a FINISHED job's file is always
/// whole. Jobs a stopped server left unfinished are marked FAILED at the next start; finished files
/// expire after `lifetime`, and `sweep` removes expired files, old records and leftover partial files.
///
/// At most `maxConcurrent` exports run at once, streamed ones and jobs alike; one more is a 429.
public final class ExportJobs: Sendable {
    /// Produces the export: writes its bytes through the closure and returns the row count.
    public typealias Producer = @Sendable (_ write: (ByteBuffer) async throws -> Void) async throws -> Int

    /// How long a FINISHED job's file can be downloaded, from the job's creation.
    public static let lifetime: Int64 = 24 * 3600 * 1_000_000_000
    /// How long the record of a FAILED or EXPIRED job can still be polled, from the job's creation.
    public static let retention: Int64 = 7 * 24 * 3600 * 1_000_000_000
    /// How many exports run at once unless configured otherwise.
    public static let defaultMaxConcurrent = 4

    /// How many exports may run at once.
    public let maxConcurrent: Int
    private let database: Database
    private let directory: URL
    private let logger: Logger
    private let activity = Mutex(Activity())

    /// What runs now: how many slots are held, and the jobs whose files are being written.
    private struct Activity {
        var slots = 0
        var writing: Set<String> = []
    }

    public init(database: Database, directory: URL, maxConcurrent: Int = ExportJobs.defaultMaxConcurrent, logger: Logger) {
        self.database = database
        self.directory = directory
        self.maxConcurrent = maxConcurrent
        self.logger = logger
    }

    /// The schema of export jobs.
    public static let migrations = [
        Migration("core.0003_export_jobs", [
            """
            CREATE TABLE export_jobs (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, format TEXT NOT NULL,
                filter TEXT NOT NULL, order_by TEXT NOT NULL, row_count {bigint} NOT NULL, size_bytes {bigint} NOT NULL,
                created_at {bigint} NOT NULL, finished_at {bigint}, message TEXT NOT NULL, created_by TEXT NOT NULL
            )
            """,
        ]),
    ]

    /// Marks jobs that a previous run left CREATED or PROCESSING as FAILED.
    public func recoverInterrupted() async throws {
        let update = database.statement("UPDATE export_jobs SET status = 'FAILED', message = 'the server stopped while this export ran; create the export again' WHERE status IN ('CREATED', 'PROCESSING')")
        try await database.transaction { try await $0.execute(update) }
    }

    /// Takes one of the `maxConcurrent` slots, or throws a 429 `ResourceExhausted` when all are held.
    public func reserve() throws(APIError) -> ExportSlot {
        let taken = activity.withLock { activity in
            guard activity.slots < maxConcurrent else { return false }
            activity.slots += 1
            return true
        }
        guard taken else {
            throw APIError(
                .resourceExhausted, "too many exports are running (the limit is \(maxConcurrent) at once)",
                resolution: "Retry after the number of seconds in the Retry-After header, once a running export has finished."
            )
        }
        return ExportSlot { self.activity.withLock { $0.slots -= 1 } }
    }

    /// Records a new job and starts producing its file in the background, holding a slot until the
    /// file is complete; past `maxConcurrent` running exports it throws a 429 and records nothing.
    public func start(kind: String, format: ExportFormat, filter: String?, orderBy: String?, createdBy: String, produce: @escaping Producer) async throws -> ExportJob {
        let slot = try reserve()
        let job = ExportJob(
            id: UUID().uuidString.lowercased(), kind: kind, status: .created, format: format, filter: filter ?? "", orderBy: orderBy ?? "",
            rowCount: 0, sizeBytes: 0, createdAt: .now, finishedAt: nil, message: "", downloadURL: ""
        )
        var insert = database.statement("INSERT INTO export_jobs (id, kind, status, format, filter, order_by, row_count, size_bytes, created_at, message, created_by) VALUES (")
        insert.append(binds: [job.id, kind, job.status.rawValue, format.rawValue, job.filter, job.orderBy, Int64(0), Int64(0), job.createdAt.nanosecondsSinceEpoch, "", createdBy])
        insert.append(")")
        let query = insert
        try await database.transaction { try await $0.execute(query) }
        activity.withLock { _ = $0.writing.insert(job.id) }
        Task.detached { await self.run(job, slot: slot, produce: produce) }
        return job
    }

    /// Writes the job's file. The slot is given back before the final status is recorded, so a
    /// client that sees FINISHED or FAILED can start another export at once; the file stays
    /// protected from `sweep` until that status is recorded.
    private func run(_ job: ExportJob, slot: ExportSlot, produce: Producer) async {
        defer { activity.withLock { _ = $0.writing.remove(job.id) } }
        let part = directory.appendingPathComponent("\(job.id).csv.part")
        do {
            try await setStatus(job.id, .processing)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: part.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: part.path])
            }
            let handle = try FileHandle(forWritingTo: part)
            let rows: Int
            do {
                rows = try await produce { buffer in try handle.write(contentsOf: buffer.readableBytesView) }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            let final = file(for: job.id)
            try? FileManager.default.removeItem(at: final)
            try FileManager.default.moveItem(at: part, to: final)
            let size = ((try? FileManager.default.attributesOfItem(atPath: final.path))?[.size] as? NSNumber)?.int64Value ?? 0
            slot.release()
            try await update(job.id, [
                ("status", ExportJob.Status.finished.rawValue), ("row_count", Int64(rows)), ("size_bytes", size),
                ("finished_at", Timestamp.now.nanosecondsSinceEpoch),
            ])
        } catch {
            try? FileManager.default.removeItem(at: part)
            slot.release()
            logger.error("export failed", metadata: ["export_id": .string(job.id), "error": .string("\(error)")])
            try? await update(job.id, [("status", ExportJob.Status.failed.rawValue), ("message", "the export failed: \(error)")])
        }
    }

    private func setStatus(_ id: String, _ status: ExportJob.Status) async throws {
        try await update(id, [("status", status.rawValue)])
    }

    /// Sets `columns` of one job, in a transaction of its own.
    private func update(_ id: String, _ columns: [(String, any DatabaseValueConvertible)]) async throws {
        var update = database.statement("UPDATE export_jobs SET ")
        for (index, (column, value)) in columns.enumerated() {
            update.append(index == 0 ? "\(column) = " : ", \(column) = ")
            update.append(bind: value.databaseValue)
        }
        update.append(" WHERE id = ")
        update.append(bind: id)
        let query = update
        try await database.transaction { try await $0.execute(query) }
    }

    /// The job with this id; a FINISHED job past its lifetime becomes EXPIRED and loses its file.
    public func get(id: String, downloadPrefix: String) async throws -> ExportJob {
        var select = database.statement("SELECT id, kind, status, format, filter, order_by, row_count, size_bytes, created_at, finished_at, message FROM export_jobs WHERE id = ")
        select.append(bind: id)
        let query = select
        guard let row = try await database.first(query) else {
            throw APIError.notFound("export \(id)")
        }
        var reader = row.reader()
        var job = ExportJob(
            id: try reader.text(), kind: try reader.text(), status: ExportJob.Status(name: try reader.text()) ?? .failed,
            format: ExportFormat(name: try reader.text()) ?? .csv, filter: try reader.text(), orderBy: try reader.text(),
            rowCount: try reader.integer(), sizeBytes: try reader.integer(), createdAt: try reader.timestamp(),
            finishedAt: try reader.optionalTimestamp(), message: try reader.text(), downloadURL: ""
        )
        if job.status == .finished, Timestamp.now.nanosecondsSinceEpoch - job.createdAt.nanosecondsSinceEpoch > Self.lifetime {
            try await update(job.id, [("status", ExportJob.Status.expired.rawValue), ("message", Self.expiredMessage)])
            try? FileManager.default.removeItem(at: file(for: job.id))
            job.status = .expired
            job.message = Self.expiredMessage
        }
        if job.status == .finished {
            job.downloadURL = "\(downloadPrefix)/\(job.id):download"
        }
        return job
    }

    /// The file of a FINISHED job; other states are a 400 saying what the job is doing.
    public func download(id: String) async throws -> (job: ExportJob, file: URL) {
        let job = try await get(id: id, downloadPrefix: "")
        guard job.status == .finished else {
            throw APIError(.failedPrecondition, "export \(id) is \(job.status.rawValue), not FINISHED\(job.message.isEmpty ? "" : ": \(job.message)")", resolution: "Poll the export until its status is FINISHED.")
        }
        return (job, file(for: id))
    }

    /// Housekeeping: marks FINISHED jobs past `lifetime` EXPIRED, deletes the records of FAILED and
    /// EXPIRED jobs past `retention`, and removes every file in the folder that no job needs: a
    /// partial file whose job is not being written, a whole file whose job is not FINISHED (expired,
    /// deleted, or interrupted between its rename and its status). Files of jobs being written stay.
    public func sweep(now: Timestamp = .now) async throws {
        // The folder is listed before the running jobs are read, and both before the statuses: a job
        // that starts later has no file in the listing, and one that ends in between is FINISHED.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let writing = activity.withLock { $0.writing }
        var expire = database.statement("UPDATE export_jobs SET status = 'EXPIRED', message = ")
        expire.append(bind: Self.expiredMessage)
        expire.append(" WHERE status = 'FINISHED' AND created_at < ")
        expire.append(bind: now.nanosecondsSinceEpoch - Self.lifetime)
        var delete = database.statement("DELETE FROM export_jobs WHERE status IN ('FAILED', 'EXPIRED') AND created_at < ")
        delete.append(bind: now.nanosecondsSinceEpoch - Self.retention)
        let statements = [expire, delete]
        try await database.transaction { connection in
            for statement in statements { try await connection.execute(statement) }
        }
        let finished = Set(try await database.rows(database.statement("SELECT id FROM export_jobs WHERE status = 'FINISHED'")).map { row in
            var reader = row.reader()
            return try reader.text()
        })
        var removed = 0
        for name in names {
            let kept: Bool
            if name.hasSuffix(".csv.part") {
                kept = writing.contains(String(name.dropLast(".csv.part".count)))
            } else if name.hasSuffix(".csv") {
                let id = String(name.dropLast(".csv".count))
                kept = writing.contains(id) || finished.contains(id)
            } else {
                continue
            }
            if !kept, (try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))) != nil {
                removed += 1
            }
        }
        if removed > 0 {
            logger.info("removed export files no job needs", metadata: ["files": .stringConvertible(removed)])
        }
    }

    private func file(for id: String) -> URL {
        directory.appendingPathComponent("\(id).csv")
    }

    private static let expiredMessage = "exports are kept for 24 hours; create the export again"
}
