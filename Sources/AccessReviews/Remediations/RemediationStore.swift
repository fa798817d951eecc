import SCIMFilter
import WardenCore

/// The remediation queue: signed-off rejections of review workflows that name a remediation, the
/// tasks started for them, and the log entries and FIXED decisions their outcomes write.
///
/// The lifecycle runner calls `claim`, `started`, `failedToStart` and `settle` inside its own
/// transactions, so a remediation's task and its row's log entry commit together.
public struct RemediationStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Queues every signed-off REJECTED row of the certification (only `rowKey`, when given) whose
    /// workflow names a remediation and that has none pending or started. Called in the
    /// transaction that signs rows off.
    func queue(certificationKey: Int64, rowKey: Int64? = nil, at time: Timestamp, on connection: DatabaseConnection) async throws {
        var insert = database.statement("""
            INSERT INTO awf_remediations (row_key, policy_id, workflow, state, created_at, updated_at) \
            SELECT r.row_key, w.remediation_policy_id, w.remediation_workflow, 'PENDING', 
            """)
        insert.append(binds: [time.databaseValue, time.databaseValue])
        insert.append("""
             FROM awf_results r JOIN awf_certifications c ON c.seq = r.certification_key \
            JOIN awf_workflows w ON w.workflow_id = c.workflow_id WHERE r.certification_key = 
            """)
        insert.append(bind: certificationKey)
        if let rowKey {
            insert.append(" AND r.row_key = ")
            insert.append(bind: rowKey)
        }
        insert.append("""
             AND r.decision = '\(ResultDecision.rejected.rawValue)' AND r.signed_off_state = '\(SignedOffState.signedOff.rawValue)' \
            AND w.remediation_policy_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM awf_remediations m WHERE m.row_key = r.row_key \
            AND m.state IN ('\(Remediation.State.pending.rawValue)', '\(Remediation.State.started.rawValue)'))
            """)
        try await connection.execute(insert)
    }

    /// Withdraws the pending remediations of the certification's rows (only `rowKey`, when given)
    /// that are no longer signed-off rejections: a forced update or an undo changed them first.
    func withdraw(certificationKey: Int64, rowKey: Int64? = nil, on connection: DatabaseConnection) async throws {
        var delete = database.statement("DELETE FROM awf_remediations WHERE state = ")
        delete.append(bind: Remediation.State.pending.rawValue)
        delete.append(" AND row_key IN (SELECT row_key FROM awf_results WHERE certification_key = ")
        delete.append(bind: certificationKey)
        if let rowKey {
            delete.append(" AND row_key = ")
            delete.append(bind: rowKey)
        }
        delete.append("""
             AND NOT (decision = '\(ResultDecision.rejected.rawValue)' AND signed_off_state = '\(SignedOffState.signedOff.rawValue)'))
            """)
        try await connection.execute(delete)
    }

    /// Up to `limit` pending remediations, oldest first, locked until the transaction ends; on
    /// PostgreSQL those another runner holds are skipped (`FOR UPDATE SKIP LOCKED`).
    public func claim(limit: Int, on connection: DatabaseConnection) async throws -> [Remediation] {
        var select = database.statement("""
            SELECT m.seq, c.certification_id, r.result_id, r.source, r.destination, m.policy_id, m.workflow FROM awf_remediations m \
            JOIN awf_results r ON r.row_key = m.row_key JOIN awf_certifications c ON c.seq = r.certification_key WHERE m.state = 
            """)
        select.append(bind: Remediation.State.pending.rawValue)
        select.append(" ORDER BY m.seq LIMIT ")
        select.append(bind: Int64(limit))
        if database.kind == .postgres { select.append(" FOR UPDATE OF m SKIP LOCKED") }
        return try await connection.rows(select).map { row in
            var reader = row.reader()
            return Remediation(
                id: try reader.integer(), certificationID: try reader.text(), resultID: try reader.integer(),
                source: try WireJSON.value([String: JSONValue].self, from: try reader.text()),
                destination: try WireJSON.value([String: JSONValue].self, from: try reader.text()), policyID: try reader.text(),
                workflow: try reader.text())
        }
    }

    /// Whether any remediation waits to be started: a cheap check before a claim.
    public func anyPending() async throws -> Bool {
        var select = database.statement("SELECT 1 FROM awf_remediations WHERE state = ")
        select.append(bind: Remediation.State.pending.rawValue)
        select.append(" LIMIT 1")
        return try await database.first(select) != nil
    }

    /// Records the task started for `remediation`, with an entry in its row's log linking the task.
    public func started(_ remediation: Remediation, taskID: String, policyName: String, at time: Timestamp, on connection: DatabaseConnection) async throws {
        try await setState(.started, taskID: taskID, of: remediation.id, at: time, on: connection)
        try await log(
            remediation.id, note: "Remediation started: task \(taskID) runs workflow \"\(remediation.workflow)\" of policy \"\(policyName)\".",
            taskID: taskID, fixing: false, at: time, on: connection)
    }

    /// Records that no task could be started for `remediation`, and why, in its row's log.
    public func failedToStart(_ remediation: Remediation, reason: String, at time: Timestamp, on connection: DatabaseConnection) async throws {
        try await setState(.failed, taskID: nil, of: remediation.id, at: time, on: connection)
        try await log(remediation.id, note: "Remediation could not start: \(reason)", taskID: nil, fixing: false, at: time, on: connection)
    }

    /// Settles the remediations of tasks that ended: a completed task makes its row FIXED (when it
    /// is still REJECTED) with an entry naming the task; an errored one adds an entry and leaves
    /// the remediation started, so a retry of the task that completes still fixes the row; a dry
    /// run adds an entry and leaves the row REJECTED.
    public func settle(endedTasks: [(taskID: String, outcome: Remediation.TaskOutcome)], at time: Timestamp, on connection: DatabaseConnection) async throws {
        guard !endedTasks.isEmpty else { return }
        var select = database.statement("SELECT seq, task_id FROM awf_remediations WHERE state = ")
        select.append(bind: Remediation.State.started.rawValue)
        select.append(" AND task_id IN (")
        select.append(binds: endedTasks.map { DatabaseValue.text($0.taskID) })
        select.append(")")
        var remediations: [String: Int64] = [:]
        for row in try await connection.rows(select) {
            var reader = row.reader()
            let seq = try reader.integer()
            remediations[try reader.text()] = seq
        }
        for ended in endedTasks {
            guard let seq = remediations[ended.taskID] else { continue }
            switch ended.outcome {
            case .completed:
                try await log(seq, note: "Remediated by task \(ended.taskID): the rejected access was removed.", taskID: ended.taskID, fixing: true, at: time, on: connection)
                try await setState(.fixed, taskID: ended.taskID, of: seq, at: time, on: connection)
            case .errored(let message):
                let detail = message.isEmpty ? "" : ": \(message)"
                try await log(
                    seq, note: "Remediation task \(ended.taskID) errored\(detail). The row stays REJECTED until a retry of the task completes.",
                    taskID: ended.taskID, fixing: false, at: time, on: connection)
            case .dryRun:
                try await log(
                    seq, note: "Remediation task \(ended.taskID) was a dry run (its policy is DRY_RUN): nothing was removed, so the row stays REJECTED.",
                    taskID: ended.taskID, fixing: false, at: time, on: connection)
                try await setState(.failed, taskID: ended.taskID, of: seq, at: time, on: connection)
            }
        }
    }

    private func setState(_ state: Remediation.State, taskID: String?, of seq: Int64, at time: Timestamp, on connection: DatabaseConnection) async throws {
        var update = database.statement("UPDATE awf_remediations SET state = ")
        update.append(bind: state.rawValue)
        update.append(", task_id = ")
        update.append(bind: taskID)
        update.append(", updated_at = ")
        update.append(bind: time)
        update.append(" WHERE seq = ")
        update.append(bind: seq)
        try await connection.execute(update)
    }

    /// Adds an entry to the log of the remediation's row; with `fixing`, a REJECTED row becomes
    /// FIXED (and its version moves on, as for any change of its fields). The certification is
    /// touched first, so its row lock is taken in the order sign-offs take it.
    private func log(_ seq: Int64, note: String, taskID: String?, fixing: Bool, at time: Timestamp, on connection: DatabaseConnection) async throws {
        var find = database.statement("SELECT r.row_key, r.certification_key FROM awf_remediations m JOIN awf_results r ON r.row_key = m.row_key WHERE m.seq = ")
        find.append(bind: seq)
        guard var reader = try await connection.first(find)?.reader() else { return }
        let rowKey = try reader.integer()
        try await ResultStore(database: database).touch(certificationKey: try reader.integer(), at: time, on: connection)

        let actor = try WireJSON.text(WorkflowUser.lifecycleRunner)
        let rejected = "decision = '\(ResultDecision.rejected.rawValue)'"
        var insert = database.statement("""
            INSERT INTO awf_result_log (row_key, action, actor, time, note, decision, task_id, before_decision, before_notes, \
            before_signed_off_state, before_signed_off_at, before_signed_off_by, version) SELECT row_key, 
            """)
        insert.append(binds: [.text(ActionLogEntry.Action.remediation.rawValue), .text(actor), time.databaseValue, .text(note)])
        insert.append(fixing ? ", CASE WHEN \(rejected) THEN '\(ResultDecision.fixed.rawValue)' END, " : ", NULL, ")
        insert.append(bind: taskID)
        insert.append(", decision, notes, signed_off_state, signed_off_at, signed_off_by, ")
        insert.append(fixing ? "CASE WHEN \(rejected) THEN version + 1 ELSE version END" : "version")
        insert.append(" FROM awf_results WHERE row_key = ")
        insert.append(bind: rowKey)
        try await connection.execute(insert)

        var update = database.statement("UPDATE awf_results SET updated_at = ")
        update.append(bind: time)
        if fixing {
            update.append(", updated_by = CASE WHEN \(rejected) THEN ")
            update.append(bind: actor)
            update.append(" ELSE updated_by END, version = CASE WHEN \(rejected) THEN version + 1 ELSE version END")
            update.append(", decision = CASE WHEN \(rejected) THEN '\(ResultDecision.fixed.rawValue)' ELSE decision END")
        }
        update.append(" WHERE row_key = ")
        update.append(bind: rowKey)
        try await connection.execute(update)
    }
}
