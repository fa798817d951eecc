import SCIMFilter
import WardenCore

extension ResultStore {
    /// Applies one reviewer's change to one row, with an action log entry, in one transaction.
    ///
    /// A signed-off row changes only through a forced update (`force`). A caller with the reviewer
    /// role changes only rows assigned to them; any other row is a 404 to them. A change that
    /// changes nothing writes nothing. A signed-off rejection of a workflow with a remediation
    /// queues the remediation in the same transaction; a
    /// forced update that undoes one withdraws the remediation if it has not started.
    public func update(_ certificationID: String, _ change: ResultUpdate, by caller: APIKey, force: Bool) async throws {
        try change.validate()
        let actor = WorkflowUser(caller)
        try await database.transaction { connection in
            let key = try await CertificationStore(database: database).key(of: certificationID, on: connection, locking: true)
            var select = database.statement("""
                SELECT row_key, decision, notes, reviewers, signed_off_state, signed_off_at, signed_off_by FROM awf_results \
                WHERE certification_key = 
                """)
            select.append(bind: key)
            select.append(" AND result_id = ")
            select.append(bind: change.resultID)
            ReviewerAssignment(caller).append(to: &select)
            guard var reader = try await connection.first(select)?.reader() else {
                throw APIError.notFound("result \(change.resultID) of certification \(certificationID)")
            }
            let rowKey = try reader.integer()
            let before = try ReviewerFields(&reader)
            if !force, before.signedOffState == .signedOff {
                throw APIError(
                    .failedPrecondition, "result \(change.resultID) is signed off; only results:force_update can change it",
                    resolution: "Ask an admin to use results:force_update.")
            }
            var after = before
            let now = Timestamp.now
            if let decision = change.decision { after.decision = decision }
            if let notes = change.notes, !notes.isEmpty { after.notes = notes.allSatisfy(\.isWhitespace) ? "" : notes }
            if let reviewers = change.reviewers { after.reviewers = reviewers }
            if let state = change.signedOffState, state != before.signedOffState {
                after.signedOffState = state
                after.signedOffAt = state == .signedOff ? now : nil
                after.signedOffBy = state == .signedOff ? actor : nil
            }
            guard after != before else { return }
            let action: ActionLogEntry.Action = force ? .forceUpdate : after.signedOffState == .signedOff ? .signOff : .update
            try await write(rowKey: rowKey, before: before, after: after, action: action, actor: actor, time: now, on: connection)
            try await touch(certificationKey: key, at: now, on: connection)
            let remediations = RemediationStore(database: database)
            if after.signedOffState == .signedOff, after.decision == .rejected {
                try await remediations.queue(certificationKey: key, rowKey: rowKey, at: now, on: connection)
            } else if before.signedOffState == .signedOff, before.decision == .rejected {
                try await remediations.withdraw(certificationKey: key, rowKey: rowKey, on: connection)
            }
        }
    }

    /// Writes a row's new reviewer-owned fields and its log entry.
    private func write(
        rowKey: Int64, before: ReviewerFields, after: ReviewerFields, action: ActionLogEntry.Action, actor: WorkflowUser, time: Timestamp,
        on connection: DatabaseConnection
    ) async throws {
        let actorText = try WireJSON.text(actor)
        var update = database.statement("UPDATE awf_results SET decision = ")
        update.append(bind: after.decision.rawValue)
        update.append(", notes = ")
        update.append(bind: after.notes)
        update.append(", reviewers = ")
        update.append(bind: try WireJSON.text(after.reviewers))
        update.append(", signed_off_state = ")
        update.append(bind: after.signedOffState.rawValue)
        update.append(", signed_off_at = ")
        update.append(bind: after.signedOffAt)
        update.append(", signed_off_by = ")
        update.append(bind: try after.signedOffBy.map(WireJSON.text))
        update.append(", updated_at = ")
        update.append(bind: time)
        update.append(", updated_by = ")
        update.append(bind: actorText)
        update.append(", version = version + 1 WHERE row_key = ")
        update.append(bind: rowKey)
        update.append(" RETURNING version")
        guard var version = try await connection.first(update)?.reader() else { return }
        let reviewersChanged = after.reviewers != before.reviewers
        var log = database.statement("""
            INSERT INTO awf_result_log (row_key, action, actor, time, note, decision, signed_off_state, old_reviewers, new_reviewers, \
            before_decision, before_notes, before_signed_off_state, before_signed_off_at, before_signed_off_by, version) VALUES (
            """)
        log.append(binds: [
            .integer(rowKey), .text(action.rawValue), .text(actorText), time.databaseValue,
            .text(after.notes != before.notes ? after.notes : ""),
            after.decision != before.decision ? .text(after.decision.rawValue) : .null,
            after.signedOffState != before.signedOffState ? .text(after.signedOffState.rawValue) : .null,
            reviewersChanged ? .text(try WireJSON.text(before.reviewers)) : .null,
            reviewersChanged ? .text(try WireJSON.text(after.reviewers)) : .null,
            .text(before.decision.rawValue), .text(before.notes), .text(before.signedOffState.rawValue), before.signedOffAt.databaseValue,
            try before.signedOffBy.map { .text(try WireJSON.text($0)) } ?? .null, .integer(try version.integer()),
        ])
        log.append(")")
        try await connection.execute(log)
    }

    /// Marks a certification's rows as changed at `time`.
    func touch(certificationKey key: Int64, at time: Timestamp, on connection: DatabaseConnection) async throws {
        var update = database.statement("UPDATE awf_certifications SET results_updated_at = ")
        update.append(bind: time)
        update.append(" WHERE seq = ")
        update.append(bind: key)
        try await connection.execute(update)
    }
}

/// The reviewer-owned fields of a row.
struct ReviewerFields: Equatable {
    var decision: ResultDecision
    var notes: String
    var reviewers: [WorkflowUser]
    var signedOffState: SignedOffState
    var signedOffAt: Timestamp?
    var signedOffBy: WorkflowUser?

    /// Reads decision, notes, reviewers, signed_off_state, signed_off_at, signed_off_by.
    init(_ reader: inout DatabaseRowReader) throws {
        decision = ResultDecision(wireName: try reader.text()) ?? .unknown
        notes = try reader.text()
        reviewers = try WireJSON.value([WorkflowUser].self, from: try reader.text())
        signedOffState = SignedOffState(name: try reader.text()) ?? .unknown
        signedOffAt = try reader.optionalTimestamp()
        signedOffBy = try reader.optionalText().map { try WireJSON.value(WorkflowUser.self, from: $0) }
    }
}
