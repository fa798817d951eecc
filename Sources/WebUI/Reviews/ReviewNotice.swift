import AccessReviews
import WardenCore

/// The line the Review page shows after an action, named by a query parameter of the redirect that
/// follows it: `saved` (a row's id), `batch` (a smart action batch just applied) or `undone` (a batch
/// just undone). Its text is made here from stored state, never taken from the link.
enum ReviewNotice {
    static let parameters: Set<String> = ["saved", "batch", "undone"]

    /// The notice `query` asks for: its text and, for a batch that can still be undone, the batch's id.
    static func values(_ query: FormFields, batches: [SmartActionBatch]) -> [String: Any]? {
        if let saved = query["saved"], let resultID = Int64(saved) {
            return ["text": "Row \(resultID) saved."]
        }
        if let id = query["batch"], let batch = batches.first(where: { $0.batchID == id }) {
            var text = "Applied “\(batch.definitionName)”: \(batch.changed) of \(batch.matched) matching rows changed"
            if batch.skippedSignedOff > 0 { text += "; \(batch.skippedSignedOff) signed-off rows left alone" }
            var values: [String: Any] = ["text": text + "."]
            if batch.isUndoable { values["undo_batch_id"] = batch.batchID }
            return values
        }
        if let id = query["undone"], let batch = batches.first(where: { $0.batchID == id }) {
            var text = "Undid “\(batch.definitionName)”: \(batch.restored ?? 0) rows restored"
            if let left = batch.notRestored, left > 0 {
                text += "; \(left) not restored, because they changed again since, are signed off, or are no longer assigned to you"
            }
            return ["text": text + "."]
        }
        return nil
    }
}

extension SmartActionBatch {
    /// Whether an undo could still restore rows: it changed some and has not restored them all.
    var isUndoable: Bool {
        changed > 0 && (undoneAt == nil || (notRestored ?? 0) > 0)
    }

    /// The batch as a row of the Review page's list of recent batches.
    var pageValues: [String: Any] {
        var values: [String: Any] = [
            "batch_id": batchID, "name": definitionName, "time": time.pageValue, "actor": actor.email.isEmpty ? actor.name : actor.email,
            "matched": String(matched), "changed": String(changed), "skipped": String(skippedSignedOff), "undoable": isUndoable,
        ]
        if let undoneAt { values["undone_at"] = undoneAt.pageValue }
        if let restored { values["restored"] = String(restored) }
        return values
    }
}
