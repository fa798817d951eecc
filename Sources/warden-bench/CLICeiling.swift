import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenServer

/// The same SQL through `sqlite3` or `psql`, timed by the CLI itself so process start-up is excluded.
struct CLICeiling {
    let kind: DatabaseKind
    let sqlitePath: String
    let postgresURL: String?

    /// The time of one run of `sql`, in seconds. `sqlite3`'s own timer rounds to milliseconds, so
    /// for SQLite this is the wall time of `runs` runs in one process, less that of as many `SELECT 1`,
    /// divided by `runs`; `psql` reports each run's time, and the best is taken. psql's timing
    /// includes printing the rows, so it prints them unaligned (`-A`), its cheapest format.
    func best(_ sql: String, repetitions: Int) throws -> Double {
        switch kind {
        case .sqlite:
            let runs = max(repetitions, 1) * 50
            func wall(_ statement: String) throws -> Double {
                let start = ContinuousClock.now
                _ = try runCLI(".output /dev/null\n" + String(repeating: statement + ";\n", count: runs))
                return (ContinuousClock.now - start).inSeconds
            }
            return max(0, try wall(sql) - wall("SELECT 1")) / Double(runs)
        case .postgres:
            let (times, output) = try psqlTimings("\\o /dev/null\n" + String(repeating: sql + ";\n", count: repetitions + 1))
            guard let best = times.dropFirst().min() else { throw ValidationError("could not read psql's timings:\n\(output.suffix(500))") }
            return best / 1000
        }
    }

    /// How a ceiling loads rows into a fresh database.
    enum Load {
        /// `sqlite3`'s bulk loader, `.import`: one prepared INSERT stepped per CSV row.
        case importCSV
        /// SQLite copying the stored records from the benchmark's database (`INSERT … SELECT`):
        /// no parsing and no binding, only the engine's own write path.
        case copy
        /// The same copy with no journal and no fsync: no crash safety, so no durable writer can
        /// pass it; the engine's upper bound on this machine.
        case copyWithoutJournal
    }

    /// Wall time of loading every row of `tables`, in `seq` order and in one transaction, into a
    /// fresh database with Warden's schema and indexes.
    func loadSeconds(tables: [String], into path: String, by load: Load, logger: Logger) async throws -> Double {
        let fresh = try await Database.open(.sqlite(path: path), logger: logger)
        try await fresh.migrate(WardenServer.migrations)
        await fresh.close()
        let journaled = load != .copyWithoutJournal
        var script = "PRAGMA journal_mode = \(journaled ? "WAL" : "OFF");\nPRAGMA synchronous = \(journaled ? "FULL" : "OFF");\nPRAGMA cache_size = -65536;\n"
        var files: [String] = []
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        switch load {
        case .importCSV:
            for table in tables {
                let file = "\(path).\(table).csv"
                files.append(file)
                _ = try runCLI(".mode csv\n.output '\(file)'\nSELECT * FROM \(table) ORDER BY seq;\n")
                script += ".import --csv '\(file)' \(table)\n"
            }
        case .copy, .copyWithoutJournal:
            script += "ATTACH '\(sqlitePath)' AS source;\nBEGIN;\n"
            for table in tables {
                script += "INSERT INTO main.\(table) SELECT * FROM source.\(table) ORDER BY seq;\n"
            }
            script += "COMMIT;\n"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return (ContinuousClock.now - start).inSeconds
    }

    /// psql's time for `\copy` loading every row of `tables`, in `seq` order and in one transaction,
    /// into empty tables made `LIKE` them (indexes included); the sum of its timings, files in
    /// `folder` written beforehand, and the transaction rolled back.
    func postgresCopySeconds(tables: [String], folder: String) throws -> Double {
        var files: [String] = []
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var script = "BEGIN;\n"
        for table in tables {
            let file = "\(folder)/ceiling-\(table).csv"
            files.append(file)
            _ = try runCLI("\\copy (SELECT * FROM \(table) ORDER BY seq) TO '\(file)' WITH (FORMAT csv)\n")
            script += "CREATE TABLE ceiling_\(table) (LIKE \(table) INCLUDING ALL);\n\\copy ceiling_\(table) FROM '\(file)' WITH (FORMAT csv)\n"
        }
        script += "ROLLBACK;\n"
        let (times, output) = try psqlTimings(script)
        guard times.count == 2 + 2 * tables.count else { throw ValidationError("psql did not time every statement:\n\(output.suffix(500))") }
        return times.reduce(0, +) / 1000
    }

    /// Writes every row of `table`, in `seq` order, to `path` in COPY's text format.
    func writeCopyText(of table: String, to path: String) throws {
        _ = try runCLI("\\copy (SELECT * FROM \(table) ORDER BY seq) TO '\(path)'\n")
    }

    /// Wall time of writing the whole result as CSV to /dev/null.
    func exportSeconds(_ sql: String) throws -> Double {
        let script = kind == .sqlite ? ".mode csv\n.output /dev/null\n\(sql);\n" : "\\copy (\(sql)) TO '/dev/null' WITH (FORMAT csv, HEADER)\n"
        let start = ContinuousClock.now
        _ = try runCLI(script)
        return (ContinuousClock.now - start).inSeconds
    }

    /// Wall time of `statements` in one transaction (BEGIN … COMMIT), as the CLI runs them: for
    /// SQLite the process's wall time less that of an empty script; for PostgreSQL the sum of
    /// psql's timings of every statement.
    func transactionSeconds(_ statements: [String]) throws -> Double {
        let script = (["BEGIN"] + statements + ["COMMIT"]).map { $0 + ";\n" }.joined()
        switch kind {
        case .sqlite:
            func wall(_ script: String) throws -> Double {
                let start = ContinuousClock.now
                _ = try runCLI(script)
                return (ContinuousClock.now - start).inSeconds
            }
            return max(0, try wall(script) - wall("SELECT 1;\n"))
        case .postgres:
            let (times, output) = try psqlTimings("\\o /dev/null\n" + script)
            guard times.count == statements.count + 2 else { throw ValidationError("psql did not time every statement:\n\(output.suffix(500))") }
            return times.reduce(0, +) / 1000
        }
    }

    /// Runs `script` through psql with `\timing on`: the milliseconds it printed for each
    /// statement, and all it printed.
    private func psqlTimings(_ script: String) throws -> (milliseconds: [Double], output: String) {
        let output = try runCLI("\\timing on\n" + script)
        let regex = try NSRegularExpression(pattern: #"Time: ([0-9.]+) ms"#)
        let times = regex.matches(in: output, range: NSRange(output.startIndex..., in: output)).compactMap { match in
            Range(match.range(at: 1), in: output).flatMap { Double(output[$0]) }
        }
        return (times, output)
    }

    /// Runs `script` through the CLI and returns what it printed.
    func runCLI(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = kind == .sqlite ? ["sqlite3", sqlitePath] : ["psql", "-X", "-q", "-A", postgresURL ?? ""]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
