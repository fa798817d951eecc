import Foundation
import SCIMFilter
import WardenCore

/// Applies, previews and undoes smart actions on a certification's rows, set-based: one
/// transaction and a handful of statements whatever the number of rows.
///
/// Writes to one certification are serialised (the certification row is locked on PostgreSQL;
/// SQLite has one writer), so concurrent applies end as some serial order would, each changed row
/// with exactly one log entry per batch.
public struct SmartActionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// How many rows a dry run shows.
    static let sampleSize = 20

    /// Applies (or, with `dryRun`, previews) a definition to a certification's rows.
    public func apply(_ request: SmartActionRequest, to certificationID: String, by caller: APIKey) async throws -> SmartActionOutcome {
        let definitions = SmartActionDefinitionStore(database: database)
        if request.dryRun {
            return try await database.read(statementTimeout: Database.longStatementTimeout) { connection in
                let definition = try await definitions.get(id: request.definitionID, on: connection)
                let plan = try await plan(definition, certificationID, caller, on: connection, locking: false)
                var outcome = try await count(plan, on: connection)
                outcome.samples = try await samples(plan, on: connection)
                return outcome
            }
        }
        return try await database.transaction(statementTimeout: Database.longStatementTimeout) { connection in
            let definition = try await definitions.get(id: request.definitionID, on: connection)
            let plan = try await plan(definition, certificationID, caller, on: connection, locking: true)
            var outcome = try await count(plan, on: connection)
            outcome.dryRun = false
            outcome.batchID = UUID().uuidString.lowercased()
            try await write(plan, outcome: outcome, on: connection)
            return outcome
        }
    }

    /// Everything an apply needs: the rows' predicate, what to set, and who and when.
    struct Plan {
        var certificationKey: Int64
        var definition: SmartActionDefinition
        /// The definition's filters, checked against the certification's rows.
        var filters: [FilterExpression]
        var compiler: SQLCompiler
        /// The rows the caller sees: only those are selected.
        var assignment: ReviewerAssignment
        var actor: WorkflowUser
        var time: Timestamp

        var fields: MutableFields { definition.mutableFields }
    }

    private func plan(
        _ definition: SmartActionDefinition, _ certificationID: String, _ caller: APIKey, on connection: DatabaseConnection, locking: Bool
    ) async throws -> Plan {
        var select = database.statement("SELECT seq, workflow_id FROM awf_certifications WHERE certification_id = ")
        select.append(bind: certificationID)
        if locking, database.kind == .postgres { select.append(" FOR UPDATE") }
        guard var reader = try await connection.first(select)?.reader() else { throw CertificationStore.notFound(certificationID) }
        let key = try reader.integer()
        let workflowID = try reader.text()
        if !definition.workflowID.isEmpty, definition.workflowID != workflowID {
            throw APIError.invalidArgument(
                "smart_action_definition_id",
                "smart action \"\(definition.name)\" belongs to workflow \(definition.workflowID); certification \(certificationID) is of workflow \(workflowID)")
        }
        let catalog = ResultFields.catalog(properties: try await ResultStore(database: database).properties(of: key, on: connection), kind: database.kind)
        let rowFilter = try ListRequest.parseFilter(definition.filter, catalog: catalog)
        let stateFilter = try ListRequest.parseFilter(definition.mutableFilter, catalog: catalog, parameter: "mutable_filter")
        if rowFilter == nil, stateFilter == nil, !definition.applyToAllRows {
            throw APIError.invalidArgument("smart_action_definition_id", "smart action \"\(definition.name)\" can never match a row")
        }
        return Plan(
            certificationKey: key, definition: definition, filters: [rowFilter, stateFilter].compactMap { $0 },
            compiler: SQLCompiler(catalog: catalog, dialect: database.kind.filterDialect), assignment: ReviewerAssignment(caller),
            actor: WorkflowUser(caller), time: .now)
    }

    /// Appends "the action selects the row".
    private func appendSelected(_ plan: Plan, to sql: inout SQLText) throws {
        sql.append("certification_key = ")
        sql.append(bind: plan.certificationKey)
        for filter in plan.filters {
            sql.append(" AND ")
            sql.append(try plan.compiler.compile(filter, firstPlaceholder: sql.nextPlaceholder))
        }
        plan.assignment.append(to: &sql)
    }

    /// Appends "the row already is as the action would set it".
    private func appendAlreadySet(_ fields: MutableFields, to sql: inout SQLText) {
        var parts: [(String, String)] = []
        if let decision = fields.decision { parts.append(("decision", decision.rawValue)) }
        if let notes = fields.notes { parts.append(("notes", notes)) }
        if let state = fields.signedOffState { parts.append(("signed_off_state", state.rawValue)) }
        sql.append("(")
        for (index, (column, value)) in parts.enumerated() {
            sql.append(index == 0 ? "\(column) = " : " AND \(column) = ")
            sql.append(bind: value)
        }
        sql.append(")")
    }

    /// Appends "the row will change": selected, not already set, not signed off.
    private func appendChanging(_ plan: Plan, to sql: inout SQLText) throws {
        try appendSelected(plan, to: &sql)
        sql.append(" AND signed_off_state <> 'SIGNED_OFF' AND NOT ")
        appendAlreadySet(plan.fields, to: &sql)
    }

    private func count(_ plan: Plan, on connection: DatabaseConnection) async throws -> SmartActionOutcome {
        var select = database.statement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN ")
        appendAlreadySet(plan.fields, to: &select)
        select.append(" THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN signed_off_state = 'SIGNED_OFF' AND NOT ")
        appendAlreadySet(plan.fields, to: &select)
        select.append(" THEN 1 ELSE 0 END), 0) FROM awf_results WHERE ")
        try appendSelected(plan, to: &select)
        var reader = try await connection.first(select)?.reader()
        let matched = try reader?.integer() ?? 0
        let unchanged = try reader?.integer() ?? 0
        let skipped = try reader?.integer() ?? 0
        return SmartActionOutcome(
            batchID: "", dryRun: true, matched: matched, changed: matched - unchanged - skipped, skippedSignedOff: skipped,
            unchanged: unchanged, samples: [])
    }

    private func samples(_ plan: Plan, on connection: DatabaseConnection) async throws -> [SmartActionOutcome.Sample] {
        var select = database.statement("SELECT result_id, decision, notes, signed_off_state FROM awf_results WHERE ")
        try appendChanging(plan, to: &select)
        select.append(" ORDER BY result_id LIMIT \(Self.sampleSize)")
        return try await connection.rows(select).map { row in
            var reader = row.reader()
            let id = try reader.integer()
            let before = SmartActionOutcome.State(
                decision: ResultDecision(wireName: try reader.text()) ?? .unknown, notes: try reader.text(),
                signedOffState: SignedOffState(name: try reader.text()) ?? .unknown)
            let after = SmartActionOutcome.State(
                decision: plan.fields.decision ?? before.decision, notes: plan.fields.notes ?? before.notes,
                signedOffState: plan.fields.signedOffState ?? before.signedOffState)
            return SmartActionOutcome.Sample(resultID: id, before: before, after: after)
        }
    }

    /// Records the batch, logs every row about to change (with its values before), then changes them;
    /// rows it leaves signed off and REJECTED queue their workflow's remediation.
    private func write(_ plan: Plan, outcome: SmartActionOutcome, on connection: DatabaseConnection) async throws {
        let actor = try WireJSON.text(plan.actor)
        var batch = database.statement("""
            INSERT INTO awf_smart_action_batches (batch_id, certification_key, definition_id, definition_name, actor, time, matched, changed, \
            skipped_signed_off, unchanged) VALUES (
            """)
        batch.append(binds: [
            .text(outcome.batchID), .integer(plan.certificationKey), .text(plan.definition.id), .text(plan.definition.name), .text(actor),
            plan.time.databaseValue, .integer(outcome.matched), .integer(outcome.changed), .integer(outcome.skippedSignedOff),
            .integer(outcome.unchanged),
        ])
        batch.append(") RETURNING seq")
        guard var batchReader = try await connection.first(batch)?.reader() else { return }
        let batchKey = try batchReader.integer()
        guard outcome.changed > 0 else { return }
        let fields = plan.fields

        var log = database.statement("""
            INSERT INTO awf_result_log (row_key, batch_key, action, actor, time, note, decision, signed_off_state, before_decision, before_notes, \
            before_signed_off_state, before_signed_off_at, before_signed_off_by, version) SELECT row_key, 
            """)
        log.append(binds: [.integer(batchKey), .text(ActionLogEntry.Action.smartAction.rawValue), .text(actor), plan.time.databaseValue])
        log.append(", ")
        appendIfChanged(column: "notes", to: fields.notes, otherwise: "''", in: &log)
        log.append(", ")
        appendIfChanged(column: "decision", to: fields.decision?.rawValue, otherwise: "NULL", in: &log)
        log.append(", ")
        appendIfChanged(column: "signed_off_state", to: fields.signedOffState?.rawValue, otherwise: "NULL", in: &log)
        log.append(", decision, notes, signed_off_state, signed_off_at, signed_off_by, version + 1 FROM awf_results WHERE ")
        try appendChanging(plan, to: &log)
        try await connection.execute(log)
        try await refreshLogStatistics(afterLogging: outcome.changed, on: connection)

        var update = database.statement("UPDATE awf_results SET updated_at = ")
        update.append(bind: plan.time)
        update.append(", updated_by = ")
        update.append(bind: actor)
        if let decision = fields.decision {
            update.append(", decision = ")
            update.append(bind: decision.rawValue)
        }
        if let notes = fields.notes {
            update.append(", notes = ")
            update.append(bind: notes)
        }
        if let state = fields.signedOffState {
            update.append(", signed_off_state = ")
            update.append(bind: state.rawValue)
            if state == .signedOff {
                update.append(", signed_off_at = ")
                update.append(bind: plan.time)
                update.append(", signed_off_by = ")
                update.append(bind: actor)
            }
        }
        update.append(", version = version + 1 WHERE ")
        try appendChanging(plan, to: &update)
        try await connection.execute(update)
        try await ResultStore(database: database).touch(certificationKey: plan.certificationKey, at: plan.time, on: connection)
        if fields.signedOffState == .signedOff {
            try await RemediationStore(database: database).queue(certificationKey: plan.certificationKey, at: plan.time, on: connection)
        }
    }

    /// Rows logged at once past which PostgreSQL's statistics of the log are refreshed.
    public static let statisticsRefreshRows: Int64 = 10_000

    /// After logging many rows, refreshes PostgreSQL's statistics of the log within the transaction
    /// (ANALYZE counts the transaction's own rows). An undo joins a batch's entries to each other;
    /// planned with statistics that do not know the batch, it scans the whole batch for every row.
    func refreshLogStatistics(afterLogging rows: Int64, on connection: DatabaseConnection) async throws {
        guard database.kind == .postgres, rows >= Self.statisticsRefreshRows else { return }
        try await connection.execute(database.statement("ANALYZE awf_result_log"))
    }

    /// Appends `CASE WHEN column <> value THEN value ELSE otherwise END`, or `otherwise` when the
    /// action does not set the column.
    private func appendIfChanged(column: String, to value: String?, otherwise: String, in sql: inout SQLText) {
        guard let value else {
            sql.append(otherwise)
            return
        }
        sql.append("CASE WHEN \(column) <> ")
        sql.append(bind: value)
        sql.append(" THEN ")
        sql.append(bind: value)
        sql.append(" ELSE \(otherwise) END")
    }
}
