import Foundation
import SCIMFilter
import WardenCore

extension SmartActionStore {
    static let notRestoredReason = "changed again since the batch"

    /// Restores the rows a batch changed that nobody has changed since, in one transaction, and
    /// says how many it could not restore and why. A reviewer undoes only their own batches (any
    /// other is a 404 to them), on the rows still assigned to them. A row the batch signed off is
    /// restored only for a caller who may force updates (`results:force_update`); for anyone else it
    /// stays signed off and is reported in `notRestoredSignedOff`.
    ///
    /// A restored row gets back its version from before the batch too. So when a later batch
    /// changed some of the rows, undoing it makes them restorable again, and the earlier batch's
    /// undo can be repeated for the rows it could not restore before; each row is restored at most
    /// once per batch, and a batch with nothing left to restore is a 400.
    public func undo(batchID: String, in certificationID: String, by caller: APIKey) async throws -> SmartActionUndo {
        let actor = WorkflowUser(caller)
        let actorText = try WireJSON.text(actor)
        let assignment = ReviewerAssignment(caller)
        let mayReverseSignOff = APIOperation.forceUpdateCertificationResult.permission.allows(caller.role)
        return try await database.transaction(statementTimeout: Database.longStatementTimeout) { connection in
            let key = try await CertificationStore(database: database).key(of: certificationID, on: connection, locking: true)
            var select = database.statement("SELECT seq, undone_at FROM awf_smart_action_batches WHERE certification_key = ")
            select.append(bind: key)
            select.append(" AND batch_id = ")
            select.append(bind: batchID)
            assignment.appendApplied(to: &select)
            guard var reader = try await connection.first(select)?.reader() else {
                throw APIError.notFound("smart action batch \(batchID) of certification \(certificationID)")
            }
            let batchKey = try reader.integer()
            let undoneAt = try reader.optionalTimestamp()
            let now = Timestamp.now
            let notYetRestored = """
                l.batch_key = \(batchKey) AND l.action = 'SMART_ACTION' AND NOT EXISTS (SELECT 1 FROM awf_result_log u \
                WHERE u.batch_key = l.batch_key AND u.row_key = l.row_key AND u.action = 'UNDO_SMART_ACTION')
                """

            var counts = database.statement("""
                SELECT COALESCE(SUM(CASE WHEN action = 'SMART_ACTION' THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN action = 'UNDO_SMART_ACTION' THEN 1 ELSE 0 END), 0) FROM awf_result_log WHERE batch_key = 
                """)
            counts.append(bind: batchKey)
            var countsReader = try await connection.first(counts)?.reader()
            let changed = try countsReader?.integer() ?? 0
            let restoredBefore = try countsReader?.integer() ?? 0
            if let undoneAt, restoredBefore >= changed {
                throw APIError(.failedPrecondition, "smart action batch \(batchID) was already undone at \(undoneAt.rfc3339); all \(changed) of its rows are restored")
            }

            var log = database.statement("""
                INSERT INTO awf_result_log (row_key, batch_key, action, actor, time, note, decision, signed_off_state, before_decision, \
                before_notes, before_signed_off_state, before_signed_off_at, before_signed_off_by, version) SELECT r.row_key, l.batch_key, 
                """)
            log.append(binds: [.text(ActionLogEntry.Action.undoSmartAction.rawValue), .text(actorText), now.databaseValue])
            log.append("""
                , CASE WHEN r.notes <> l.before_notes THEN l.before_notes ELSE '' END, \
                CASE WHEN r.decision <> l.before_decision THEN l.before_decision END, \
                CASE WHEN r.signed_off_state <> l.before_signed_off_state THEN l.before_signed_off_state END, \
                r.decision, r.notes, r.signed_off_state, r.signed_off_at, r.signed_off_by, l.version - 1 \
                FROM awf_result_log l JOIN awf_results r ON r.row_key = l.row_key WHERE \(notYetRestored) AND r.version = l.version
                """)
            if !mayReverseSignOff { log.append(" AND r.signed_off_state <> 'SIGNED_OFF'") }
            assignment.append(to: &log, reviewers: "r.reviewers")
            var last = try await connection.first(database.statement("SELECT COALESCE(MAX(seq), 0) FROM awf_result_log"))?.reader()
            let lastBefore = try last?.integer() ?? 0
            try await connection.execute(log)
            try await refreshLogStatistics(afterLogging: changed - restoredBefore, on: connection)

            var restore = database.statement("""
                UPDATE awf_results SET decision = l.before_decision, notes = l.before_notes, signed_off_state = l.before_signed_off_state, \
                signed_off_at = l.before_signed_off_at, signed_off_by = l.before_signed_off_by, updated_at = 
                """)
            restore.append(bind: now)
            restore.append(", updated_by = ")
            restore.append(bind: actorText)
            // The rows just logged as restored: their undo entries are the ones newer than `lastBefore`.
            restore.append("""
                , version = l.version - 1 FROM awf_result_log l, awf_result_log u WHERE l.row_key = awf_results.row_key \
                AND l.batch_key = \(batchKey) AND l.action = 'SMART_ACTION' AND u.row_key = awf_results.row_key AND u.batch_key = \(batchKey) \
                AND u.action = 'UNDO_SMART_ACTION' AND u.seq > \(lastBefore) RETURNING awf_results.row_key
                """)
            let restored = Int64(try await connection.rows(restore).count)

            var mark = database.statement("UPDATE awf_smart_action_batches SET undone_at = ")
            mark.append(bind: now)
            mark.append(", undone_by = ")
            mark.append(bind: actorText)
            mark.append(", restored = ")
            mark.append(bind: restoredBefore + restored)
            mark.append(", not_restored = ")
            mark.append(bind: changed - restoredBefore - restored)
            mark.append(" WHERE seq = ")
            mark.append(bind: batchKey)
            try await connection.execute(mark)
            if restored > 0 {
                try await ResultStore(database: database).touch(certificationKey: key, at: now, on: connection)
                try await RemediationStore(database: database).withdraw(certificationKey: key, on: connection)
            }
            let left = changed - restoredBefore - restored
            guard left > 0 else { return SmartActionUndo(batchID: batchID, restored: restored, notRestored: 0, notRestoredSignedOff: 0, reason: "") }

            let kept = database.statement("""
                SELECT COALESCE(SUM(CASE WHEN r.version <> l.version THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN r.version = l.version AND r.signed_off_state = 'SIGNED_OFF' THEN 1 ELSE 0 END), 0) \
                FROM awf_result_log l JOIN awf_results r ON r.row_key = l.row_key WHERE \(notYetRestored)
                """)
            var keptReader = try await connection.first(kept)?.reader()
            let changedSince = try keptReader?.integer() ?? 0
            let signedOff = mayReverseSignOff ? 0 : try keptReader?.integer() ?? 0
            let reasons = [
                changedSince > 0
                    ? "\(changedSince) were \(Self.notRestoredReason), so they keep their newer values (undo the later changes and this batch again to restore them)"
                    : "",
                signedOff > 0
                    ? "\(signedOff) are signed off, and undoing a sign-off takes results:force_update (a caller allowed it can undo this batch again)" : "",
                left - changedSince - signedOff > 0 ? "\(left - changedSince - signedOff) are no longer assigned to you" : "",
            ]
            return SmartActionUndo(
                batchID: batchID, restored: restored, notRestored: left, notRestoredSignedOff: signedOff,
                reason: "\(left) of the \(changed) rows the batch changed were not restored: " + reasons.filter { !$0.isEmpty }.joined(separator: "; "))
        }
    }

    /// A certification's batches, newest first: all of them, or a reviewer's own.
    public func batches(of certificationID: String, for assignment: ReviewerAssignment) async throws -> [SmartActionBatch] {
        try await database.read { connection in
            let key = try await CertificationStore(database: database).key(of: certificationID, on: connection)
            var select = database.statement("""
                SELECT batch_id, definition_id, definition_name, actor, time, matched, changed, skipped_signed_off, unchanged, undone_at, \
                undone_by, restored, not_restored FROM awf_smart_action_batches WHERE certification_key = 
                """)
            select.append(bind: key)
            assignment.appendApplied(to: &select)
            select.append(" ORDER BY seq DESC")
            return try await connection.rows(select).map { row in
                var reader = row.reader()
                return SmartActionBatch(
                    batchID: try reader.text(), definitionID: try reader.text(), definitionName: try reader.text(),
                    actor: try WireJSON.value(WorkflowUser.self, from: try reader.text()), time: try reader.timestamp(),
                    matched: try reader.integer(), changed: try reader.integer(), skippedSignedOff: try reader.integer(),
                    unchanged: try reader.integer(), undoneAt: try reader.optionalTimestamp(),
                    undoneBy: try reader.optionalText().map { try WireJSON.value(WorkflowUser.self, from: $0) },
                    restored: try reader.optionalInteger(), notRestored: try reader.optionalInteger())
            }
        }
    }
}
