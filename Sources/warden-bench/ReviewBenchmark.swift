import AccessReviews
import ArgumentParser
import Foundation
import Logging
import SCIMFilter
import WardenCore
import WardenServer

/// Smart actions against their ceiling, the same hand-written SQL through `sqlite3` / `psql` on the
/// same certification: apply, dry run, and the first page of a filtered result listing.
struct ReviewBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reviews", abstract: "Smart action apply and dry run, and filtered result listing.")

    @Option(help: "Rows in the certification.")
    var results: Int = 1_000_000

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its access review tables are dropped and recreated).")
    var postgresURL: String?

    @Option(help: "Repetitions of each timed read (the best is reported).")
    var repetitions: Int = 10

    @Flag(help: "On PostgreSQL, keep a certification a previous run seeded with --results rows instead of seeding again (its history is cleared).")
    var reuse = false

    /// About 30% of the demo's people are in Engineering.
    static let filter = #"source.department eq "Engineering""#
    static let tables = ["awf_smart_action_batches", "awf_result_log", "awf_result_properties", "awf_results", "awf_certifications", "awf_workflows", "awf_smart_action_definitions"]

    func run() async throws {
        var logger = Logger(label: "warden-bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlitePath = folder.appendingPathComponent("warden.sqlite").path
        let database = try await Database.open(try postgresURL.map(DatabaseConfiguration.parse) ?? .sqlite(path: sqlitePath), logger: logger)
        var seeded: AccessReviewsDemo.Seeded?
        if database.kind == .postgres {
            try await database.migrate(WardenServer.migrations)
            let existing = database.statement("SELECT certification_id, workflow_id, total_result_count FROM awf_certifications ORDER BY seq DESC LIMIT 1")
            if reuse, var reader = try await database.first(existing)?.reader() {
                let certificationID = try reader.text()
                let found = AccessReviewsDemo.Seeded(workflowID: try reader.text(), certificationID: certificationID, rows: Int(try reader.integer()))
                if found.rows == results { seeded = found }
            }
            if seeded != nil {
                // A page's rows are read with their history; start from the seeded rows, which have none.
                try await database.transaction { sql in
                    for statement in ["DELETE FROM awf_result_log", "DELETE FROM awf_smart_action_batches", "UPDATE awf_results SET updated_at = NULL, updated_by = NULL WHERE updated_at IS NOT NULL"] {
                        try await sql.execute(database.statement(statement))
                    }
                }
                // Vacuumed now, so that autovacuum does not clean up after the reset while rows are timed.
                try await database.read { try await $0.execute(database.statement("VACUUM awf_results, awf_result_log, awf_smart_action_batches")) }
            }
            if seeded == nil {
                try await database.transaction { sql in
                    for table in Self.tables { try await sql.execute(database.statement("DROP TABLE IF EXISTS \(table)")) }
                    try await sql.execute(database.statement("DELETE FROM warden_migrations WHERE id LIKE 'access_reviews.%'"))
                }
            }
        }
        try await database.migrate(WardenServer.migrations)
        let cli = CLICeiling(kind: database.kind, sqlitePath: sqlitePath, postgresURL: postgresURL)
        print("database: \(database.kind.rawValue), one certification of \(results) rows")

        if let seeded {
            print("demo seed --results           skipped: reusing certification \(seeded.certificationID)")
        } else {
            let seedStart = ContinuousClock.now
            let written = try await AccessReviewsDemo(database: database).seed(results: results, seed: 1)
            let seedSeconds = (ContinuousClock.now - seedStart).inSeconds
            print(String(format: "demo seed --results           %10.0f rows/s (%d rows in %.2f s)", Double(written.rows) / seedSeconds, written.rows, seedSeconds))
            seeded = written
        }
        guard let seeded else { return }
        if database.kind == .sqlite { try await database.transaction { try await $0.execute(database.statement("ANALYZE")) } }
        else {
            // A checkpoint now writes out what the seed or reset dirtied, instead of while rows are timed.
            try await database.read { sql in
                try await sql.execute(database.statement("ANALYZE"))
                try await sql.execute(database.statement("CHECKPOINT"))
            }
        }

        var keyReader = try await database.first(database.statement("SELECT seq FROM awf_certifications WHERE certification_id = '\(seeded.certificationID)'"))?.reader()
        let key = try keyReader?.integer() ?? 0
        // Veza's `eq` on a string ignores case: the hand-written SQL compares lowercased, as Warden's does.
        let department = database.kind == .sqlite ? "lower(json_extract(source, '$.department'))" : "lower((source->>'department') COLLATE \"C\")"
        let selected = "certification_key = \(key) AND \(department) = 'engineering'"

        let signer = try await database.pageTokenSigner()
        let results = ResultStore(database: database)
        let parameters = ListParameters(filter: Self.filter, pageSize: "100")
        let rawSQL = "SELECT row_key, result_id, source, destination, abstract_permissions, concrete_permissions, decision, notes, reviewers, "
            + "signed_off_state, signed_off_at, signed_off_by, updated_at, updated_by FROM awf_results WHERE \(selected) ORDER BY result_id LIMIT 101"
        let (page, rawPage) = try await bestBesideCeiling(repetitions: repetitions) {
            _ = try await results.listBody(seeded.certificationID, parameters, signer: signer, for: .everyRow)
        } ceiling: { try cli.best(rawSQL, repetitions: $0) }
        print(row("first page, \(Self.filter)", page, rawPage, target: "≤ 2×"))
        let certificationOnly = try await best { _ = try await database.read { try await results.certification(seeded.certificationID, on: $0) } }
        print(row("  the certification and its properties", certificationOnly, rawPage, target: "breakdown"))
        let raw = database.statement(rawSQL)
        let fetchOnly = try await best { _ = try await database.rowBatch(raw) }
        print(row("  the raw SQL through the driver", fetchOnly, rawPage, target: "breakdown"))

        let definitions = SmartActionDefinitionStore(database: database)
        let definition = try await definitions.create(
            try WireJSON.value(SmartActionDefinition.Input.self, from: #"{"name": "Reject engineering", "filter": "source.department eq \"Engineering\"", "mutable_fields": {"decision": "REJECTED"}}"#),
            by: "bench")
        let smartActions = SmartActionStore(database: database)
        let admin = APIKey(id: "bench", name: "bench", role: .admin, email: "", status: .active, createdAt: .now, createdBy: "bench", lastAccessAt: nil)
        var outcome = try await smartActions.apply(SmartActionRequest(definitionID: definition, dryRun: true), to: seeded.certificationID, by: admin)
        let dryRun = try await best {
            outcome = try await smartActions.apply(SmartActionRequest(definitionID: definition, dryRun: true), to: seeded.certificationID, by: admin)
        }

        let now = Timestamp.now.nanosecondsSinceEpoch
        let changing = "\(selected) AND signed_off_state <> 'SIGNED_OFF' AND decision <> 'RESULT_DECISION_REJECTED'"
        let ceiling = try cli.transactionSeconds([
            """
            INSERT INTO awf_result_log (row_key, batch_key, action, actor, time, note, decision, signed_off_state, before_decision, before_notes, \
            before_signed_off_state, before_signed_off_at, before_signed_off_by, version) SELECT row_key, -1, 'SMART_ACTION', '{"id":"cli"}', \(now), '', \
            'RESULT_DECISION_REJECTED', NULL, decision, notes, signed_off_state, signed_off_at, signed_off_by, version + 1 FROM awf_results WHERE \(changing)
            """,
            "UPDATE awf_results SET decision = 'RESULT_DECISION_REJECTED', updated_at = \(now), updated_by = '{\"id\":\"cli\"}', version = version + 1 WHERE \(changing)",
        ])
        let restore = database.kind == .sqlite
            ? "UPDATE awf_results SET decision = l.before_decision, updated_at = NULL, updated_by = NULL, version = l.version - 1 FROM awf_result_log l WHERE l.batch_key = -1 AND l.row_key = awf_results.row_key"
            : "UPDATE awf_results r SET decision = l.before_decision, updated_at = NULL, updated_by = NULL, version = l.version - 1 FROM awf_result_log l WHERE l.batch_key = -1 AND l.row_key = r.row_key"
        _ = try cli.transactionSeconds([restore, "DELETE FROM awf_result_log WHERE batch_key = -1"])

        let applyStart = ContinuousClock.now
        let applied = try await smartActions.apply(SmartActionRequest(definitionID: definition), to: seeded.certificationID, by: admin)
        let apply = (ContinuousClock.now - applyStart).inSeconds
        print(row("apply (\(applied.changed) of \(applied.matched) rows changed)", apply, ceiling, target: "≤ 2×"))
        print(row("dry run (counts + 20 samples)", dryRun, ceiling, target: "reported"))
        guard outcome.changed == applied.changed else { throw ValidationError("the dry run counted \(outcome.changed) changes, the apply made \(applied.changed)") }

        let undoStart = ContinuousClock.now
        let undone = try await smartActions.undo(batchID: applied.batchID, in: seeded.certificationID, by: admin)
        print(row("undo (\(undone.restored) rows restored)", (ContinuousClock.now - undoStart).inSeconds, ceiling, target: "reported"))
        await database.close()
    }

    private func best(_ body: () async throws -> Void) async throws -> Double {
        try await bestTime(repetitions: repetitions, body)
    }

    private func row(_ name: String, _ warden: Double, _ ceiling: Double, target: String) -> String {
        name.padding(toLength: 54, withPad: " ", startingAt: 0)
            + String(format: "%10.3f ms vs CLI %10.3f ms = %.2f×  (target %@)", warden * 1000, ceiling * 1000, warden / ceiling, target)
    }
}
