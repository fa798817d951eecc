import ActivityLog
import ArgumentParser
import Foundation
import Logging
import NIOCore
import WardenCore
import WardenServer

/// The activity log against its ceiling, the database's own CLI on the same data: listing, deep
/// paging, CSV export and the demo seed's write rate.
struct ActivityLogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activity", abstract: "Action event list, paging, export and seeding.")

    @Option(help: "Action events to seed.")
    var events: Int = 1_000_000

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its tables are dropped and recreated).")
    var postgresURL: String?

    @Option(help: "Repetitions of each timed query (the best is reported).")
    var repetitions: Int = 100

    @Flag(help: "On PostgreSQL, keep an activity log a previous run seeded with at least --events action events instead of seeding again.")
    var reuse = false

    static let filter = #"state eq "ERRORED""#
    static let rawFirstPage = "SELECT policy_task, action_name, action_type, state, policy_id, policy_version_number, workflow_name, identity_id, identity_name, extraction_event, any_changes, jobs_started, started_at, completed_at, message FROM lcm_action_events WHERE state = 'ERRORED' ORDER BY started_at DESC, seq DESC LIMIT 101"
    static let rawExport = "SELECT policy_task, action_name, action_type, state, policy_id, policy_version_number, workflow_name, identity_id, identity_name, extraction_event, any_changes, jobs_started, started_at, completed_at, message FROM lcm_action_events ORDER BY started_at DESC, seq DESC"

    func run() async throws {
        var logger = Logger(label: "warden-bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlitePath = folder.appendingPathComponent("warden.sqlite").path
        let configuration = try postgresURL.map(DatabaseConfiguration.parse) ?? .sqlite(path: sqlitePath)
        let database = try await Database.open(configuration, logger: logger)
        var reusing = false
        if database.kind == .postgres {
            try await database.migrate(WardenServer.migrations)
            if reuse, let row = try await database.first(database.statement("SELECT count(*) FROM lcm_action_events")) {
                var reader = row.reader()
                reusing = try reader.integer() >= events
            }
        }
        if database.kind == .postgres, !reusing {
            try await database.transaction { sql in
                for table in ["lcm_action_events", "lcm_workflow_tasks", "lcm_job_events", "lcm_events"] {
                    try await sql.execute(database.statement("DROP TABLE IF EXISTS \(table)"))
                }
                try await sql.execute(database.statement("DELETE FROM warden_migrations WHERE id LIKE 'activity_log.%'"))
            }
        }
        try await database.migrate(WardenServer.migrations)
        let store = ActivityStore<ActionEvent>(database: database)
        let signer = try await database.pageTokenSigner()
        let cli = CLICeiling(kind: database.kind, sqlitePath: sqlitePath, postgresURL: postgresURL)
        let driver: DriverCeiling? = if case .postgres(let settings) = configuration { try DriverCeiling(settings: settings, logger: logger) } else { nil }
        print("database: \(database.kind.rawValue), \(events) action events")
        var seedSeconds = 0.0
        var seeded = ActivityLogDemo.Counts()

        if reusing {
            print("demo seed                      skipped: reusing the activity log already in the database")
        } else {
            let seedStart = ContinuousClock.now
            let written = try await ActivityLogDemo(database: database).seed(actionEvents: events, seed: 1)
            seedSeconds = (ContinuousClock.now - seedStart).inSeconds
            seeded = written
            if database.kind == .sqlite { try await database.transaction { try await $0.execute(database.statement("ANALYZE")) } }
            else {
                // A checkpoint now writes out what the seed or reset dirtied, instead of while rows are timed.
                try await database.read { sql in
                    try await sql.execute(database.statement("ANALYZE"))
                    try await sql.execute(database.statement("CHECKPOINT"))
                }
            }
            print(String(format: "demo seed                      %10.0f action events/s (target ≥ 100,000/s on SQLite); %d action events + %d tasks + %d jobs + %d lifecycle events = %.0f rows/s in %.2f s", Double(written.actionEvents) / seedSeconds, written.actionEvents, written.tasks, written.jobs, written.events, Double(written.rows) / seedSeconds, seedSeconds))
        }

        let firstPage = try ListRequest(ActionEvent.listSpec, ListParameters(filter: Self.filter, pageSize: "100"), signer: signer)
        let (warden, ceiling) = try await bestBesideCeiling(repetitions: repetitions) {
            _ = try await store.listBody(firstPage, signer: signer)
        } ceiling: { try cli.best(Self.rawFirstPage, repetitions: $0) }
        print(row("first page, state eq ERRORED (its JSON body)", warden, ceiling, target: "≤ 2×"))
        let rawSQL = database.statement(Self.rawFirstPage)
        let fetchOnly = try await best { _ = try await database.rowBatch(rawSQL) }
        print(row("  same SQL, driver fetch only", fetchOnly, ceiling, target: "breakdown"))
        /// The SQL the action event list runs for `request`, as the store builds it.
        func listSQL(_ request: ListRequest) throws -> SQLText {
            var sql = database.statement("SELECT \(ActionEvent.columns.joined(separator: ", "))\(request.sortKeyColumns) FROM lcm_action_events")
            try request.appendClauses(to: &sql)
            return sql
        }
        let firstPageSQL = try listSQL(firstPage)
        let listRows = try await database.rowBatch(firstPageSQL)
        let writer = ActionEvent.jsonWriter
        let bodyOnly = try await best {
            let window = firstPage.window(listRows, signer: signer)
            _ = try writer.page(listRows, rows: window.rows, firstColumn: 0, nextPageToken: window.nextPageToken, hasMore: window.hasMore)
        }
        print(row("  page token and JSON body only", bodyOnly, ceiling, target: "breakdown"))

        let selectOne = database.statement("SELECT 1")
        let roundTrip = try await best { _ = try await database.rows(selectOne) }
        print(row("  SELECT 1 through the driver", roundTrip, ceiling, target: "breakdown"))
        let building = try await best { _ = try listSQL(firstPage) }
        print(row("  building the list's SQL", building, ceiling, target: "breakdown"))
        let listFetch = try await best { _ = try await database.rowBatch(firstPageSQL) }
        print(row("  list's SQL with binds, fetch only", listFetch, ceiling, target: "breakdown"))
        if let driver {
            let (page, nio) = try await bestBoth(warden: { _ = try await store.listBody(firstPage, signer: signer) }, driver: { try await driver.fetch(firstPageSQL) })
            print(driverRow("first page vs PostgresNIO alone", page, nio, target: "≤ 1.3×"))
        }

        let (deepState, stateFirst, deepStatePage, deepStateRequest) = try await deepestPage(filter: Self.filter, upTo: 1_000, store: store, signer: signer)
        print(String(format: "page %d vs page 1 (state eq ERRORED; %@) %8.3f ms vs %8.3f ms = %.2f×  (target ≤ 1.2×)", deepStatePage, deepStatePage < 1_000 ? "its last full page" : "page 1,000", deepState * 1000, stateFirst * 1000, deepState / stateFirst))
        let (deepAll, allFirst, deepAllPage, deepAllRequest) = try await deepestPage(filter: nil, upTo: 1_000, store: store, signer: signer)
        print(String(format: "page %d vs page 1 (no filter, started_at desc) %8.3f ms vs %8.3f ms = %.2f×  (target ≤ 1.2×)", deepAllPage, deepAll * 1000, allFirst * 1000, deepAll / allFirst))
        if let driver {
            for (request, number) in [(deepStateRequest, deepStatePage), (deepAllRequest, deepAllPage)] {
                let pageSQL = try listSQL(request)
                let (page, nio) = try await bestBoth(warden: { _ = try await store.listBody(request, signer: signer) }, driver: { try await driver.fetch(pageSQL) })
                print(driverRow("page \(number) (\(request.filter?.description ?? "no filter")) vs PostgresNIO alone", page, nio, target: "≤ 1.3×"))
            }
        }

        let exportRequest = try ListRequest.batches(ActionEvent.listSpec, filter: nil, orderBy: nil, batchSize: ActivityStore<ActionEvent>.exportBatchSize)
        // The CLI and Warden export in turn, the CLI first, twice each: whichever goes first reads
        // from a cold cache, and a slow spell of the machine falls on both.
        var exportSeconds = Double.infinity
        var cliExport = Double.infinity
        var rows = 0
        var bytes = 0
        var growth = 0
        for _ in 0..<2 {
            cliExport = min(cliExport, try cli.exportSeconds(Self.rawExport))
            ResidentMemory.resetPeak()
            let residentBefore = ResidentMemory.bytes("VmRSS:")
            let exportStart = ContinuousClock.now
            bytes = 0
            rows = try await store.exportCSV(exportRequest) { bytes += $0.readableBytes }
            exportSeconds = min(exportSeconds, (ContinuousClock.now - exportStart).inSeconds)
            growth = max(growth, ResidentMemory.bytes("VmHWM:") - residentBefore)
        }
        print(String(format: "full CSV export               %10.0f rows/s vs CLI %10.0f rows/s = %.2f× of the CLI (target ≥ 0.5×); %d rows, %.1f MiB", Double(rows) / exportSeconds, Double(rows) / cliExport, cliExport / exportSeconds, rows, Double(bytes) / 1_048_576))
        print(String(format: "export peak memory growth      %10.1f MiB (target ≤ 64 MiB)", Double(growth) / 1_048_576))
        if let driver {
            let exportSQL = database.statement(Self.rawExport)
            let start = ContinuousClock.now
            let fetched = try await driver.fetch(exportSQL)
            let nio = (ContinuousClock.now - start).inSeconds
            print(String(format: "full CSV export vs PostgresNIO reading the same rows %10.0f rows/s vs %10.0f rows/s = %.2f× of the driver (%d rows, %.1f MiB of cells; no CSV written)", Double(rows) / exportSeconds, Double(fetched.rows) / nio, nio / exportSeconds, fetched.rows, Double(fetched.bytes) / 1_048_576))
        }
        let allTables = ["lcm_workflow_tasks", "lcm_action_events", "lcm_job_events", "lcm_events"]
        if database.kind == .postgres, !reusing {
            let written = seeded
            let copyAll = try cli.postgresCopySeconds(tables: allTables, folder: folder.path)
            print(String(format: "demo seed, all four tables      %8.0f rows/s vs psql \\copy of the same %d rows into tables with the same indexes %8.0f rows/s = %.2f× of the CLI (%.0f action events/s)", Double(written.rows) / seedSeconds, written.rows, Double(written.rows) / copyAll, copyAll / seedSeconds, Double(written.actionEvents) / copyAll))
            if let driver {
                let files = allTables.map { (table: $0, path: folder.appendingPathComponent("driver-\($0).copy").path) }
                for file in files { try cli.writeCopyText(of: file.table, to: file.path) }
                defer { for file in files { try? FileManager.default.removeItem(atPath: file.path) } }
                let driverCopy = try await driver.copySeconds(files: files)
                print(String(format: "demo seed, all four tables      %8.0f rows/s vs PostgresNIO copyFrom of the same rows into tables with the same indexes %8.0f rows/s = %.2f× of the driver", Double(written.rows) / seedSeconds, Double(written.rows) / driverCopy, driverCopy / seedSeconds))
            }
        }
        if database.kind == .sqlite {
            let written = seeded
            let (writeSeconds, writeRows) = try await runnerWriteSeconds(path: folder.appendingPathComponent("writes.sqlite").path, logger: logger)
            let importEvents = try await cli.loadSeconds(tables: ["lcm_action_events"], into: folder.appendingPathComponent("ceiling-events.sqlite").path, by: .importCSV, logger: logger)
            print(String(format: "store upserts, action events alone %8.0f/s vs sqlite3 .import of them %8.0f/s = %.2f× of the CLI (%d in batches of %d; generation excluded)", Double(writeRows) / writeSeconds, Double(written.actionEvents) / importEvents, importEvents / Double(written.actionEvents) * Double(writeRows) / writeSeconds, writeRows, ActivityLogDemo.batchSize))
            let importAll = try await cli.loadSeconds(tables: allTables, into: folder.appendingPathComponent("ceiling.sqlite").path, by: .importCSV, logger: logger)
            print(String(format: "demo seed, all four tables      %8.0f rows/s vs sqlite3 .import of the same %d rows %8.0f rows/s = %.2f× of the CLI (%.0f action events/s)", Double(written.rows) / seedSeconds, written.rows, Double(written.rows) / importAll, importAll / seedSeconds, Double(written.actionEvents) / importAll))
            let copyAll = try await cli.loadSeconds(tables: allTables, into: folder.appendingPathComponent("ceiling-copy.sqlite").path, by: .copy, logger: logger)
            print(String(format: "demo seed, all four tables      %8.0f rows/s vs SQLite copying the stored rows (INSERT … SELECT) %8.0f rows/s = %.2f× of the engine (%.0f action events/s)", Double(written.rows) / seedSeconds, Double(written.rows) / copyAll, copyAll / seedSeconds, Double(written.actionEvents) / copyAll))
            let copyFastest = try await cli.loadSeconds(tables: allTables, into: folder.appendingPathComponent("ceiling-unjournaled.sqlite").path, by: .copyWithoutJournal, logger: logger)
            print(String(format: "demo seed, all four tables      %8.0f rows/s vs the same copy with no journal and no fsync (the engine's upper bound) %8.0f rows/s = %.2f× (%.0f action events/s)", Double(written.rows) / seedSeconds, Double(written.rows) / copyFastest, copyFastest / seedSeconds, Double(written.actionEvents) / copyFastest))
        }
        await driver?.close()
        await database.close()
    }

    /// The best times of Warden and of PostgresNIO alone, timed in turn.
    private func bestBoth(warden: @escaping () async throws -> Void, driver: @escaping () async throws -> Void) async throws -> (Double, Double) {
        let times = try await bestTimes(repetitions: repetitions, [warden, { _ = try await driver() }])
        return (times[0], times[1])
    }

    private func driverRow(_ name: String, _ warden: Double, _ driver: Double, target: String) -> String {
        name.padding(toLength: 52, withPad: " ", startingAt: 0)
            + String(format: "%8.3f ms vs PostgresNIO %8.3f ms = %.2f×  (target %@)", warden * 1000, driver * 1000, warden / driver, target)
    }

    /// The time of the deepest full page of 100 up to page `limit`, and its number.
    /// The best times of the deepest full page up to `limit` and of page 1, timed in turn; and
    /// that page's number.
    private func deepestPage(
        filter: String?, upTo limit: Int, store: ActivityStore<ActionEvent>, signer: PageTokenSigner
    ) async throws -> (deep: Double, first: Double, page: Int, request: ListRequest) {
        let first = try ListRequest(ActionEvent.listSpec, ListParameters(filter: filter, pageSize: "100"), signer: signer)
        var request = first
        var deepest = (request, 1)
        for number in 2...limit {
            let page = try await store.list(request, signer: signer)
            guard page.hasMore else { break }
            request = try ListRequest(ActionEvent.listSpec, ListParameters(filter: filter, pageSize: "100", pageToken: page.nextPageToken), signer: signer)
            if try await store.list(request, signer: signer).values.count == 100 { deepest = (request, number) }
        }
        let target = deepest.0
        let times = try await bestTimes(repetitions: repetitions, [
            { _ = try await store.listBody(target, signer: signer) },
            { _ = try await store.listBody(first, signer: signer) },
        ])
        return (times[0], times[1], deepest.1, target)
    }

    /// The runner's write path on its own: `events` action events upserted into an empty table
    /// through the store, a batch per transaction; only the upserts are timed.
    private func runnerWriteSeconds(path: String, logger: Logger) async throws -> (Double, Int) {
        let database = try await Database.open(.sqlite(path: path), logger: logger)
        try await database.migrate(WardenServer.migrations)
        let store = ActivityStore<ActionEvent>(database: database)
        var generator = DemoActivityGenerator(seed: 2)
        var seconds = 0.0
        var written = 0
        while written < events {
            var batch: [ActionEvent] = []
            while batch.count < ActivityLogDemo.batchSize, written + batch.count < events {
                batch += generator.nextTask().actions
            }
            let start = ContinuousClock.now
            try await store.upsert(batch)
            seconds += (ContinuousClock.now - start).inSeconds
            written += batch.count
        }
        await database.close()
        return (seconds, written)
    }

    private func best(_ body: () async throws -> Void) async throws -> Double {
        try await bestTime(repetitions: repetitions, body)
    }

    private func row(_ name: String, _ warden: Double, _ ceiling: Double, target: String) -> String {
        name.padding(toLength: 31, withPad: " ", startingAt: 0)
            + String(format: "%8.3f ms vs CLI %8.3f ms = %.2f×  (target %@)", warden * 1000, ceiling * 1000, warden / ceiling, target)
    }
}
