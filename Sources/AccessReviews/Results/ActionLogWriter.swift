import SCIMFilter
import WardenCore

/// Writes `action_log` entries straight from their stored columns (`ResultStore.logColumns`), byte
/// for byte what `WireJSON.encoder()` writes for the `ActionLogEntry` they decode to: keys sorted,
/// absent members left out, the stored JSON of users and reviewers embedded as is.
enum ActionLogWriter {
    /// Appends one entry from `values`, the log columns in `ResultStore.logColumns` order.
    static func appendEntry(_ values: ArraySlice<DatabaseValue>, to bytes: inout [UInt8]) {
        let v = Array(values)
        func text(_ index: Int) -> String? {
            if case .text(let text) = v[index] { return text }
            return nil
        }
        func member(_ key: String, _ write: (inout [UInt8]) -> Void) {
            if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
            JSONValue.appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            write(&bytes)
        }
        func string(_ key: String, _ value: String?) {
            guard let value else { return }
            member(key) { JSONValue.appendString(value, to: &$0) }
        }
        let note = text(3) ?? ""
        bytes.append(UInt8(ascii: "{"))
        string("action", text(0))
        if let decision = text(4) {
            member("decision_detail") { bytes in
                bytes += #"{"decision":"#.utf8
                JSONValue.appendString(decision, to: &bytes)
                bytes += #","note":"#.utf8
                JSONValue.appendString(note, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        }
        string("note", note)
        string("remediation_task_id", text(11))
        if let newReviewers = text(7) {
            member("reviewer_detail") { bytes in
                bytes += #"{"new_reviewers":"#.utf8
                bytes += newReviewers.utf8
                bytes += #","old_reviewers":"#.utf8
                bytes += (text(6) ?? "[]").utf8
                bytes.append(UInt8(ascii: "}"))
            }
        }
        string("signed_off_state", text(5))
        string("smart_action_batch_id", text(10))
        string("smart_action_definition_id", text(8))
        string("smart_action_name", text(9))
        if case .integer(let time) = v[2] {
            member("time") { bytes in
                bytes.append(UInt8(ascii: "\""))
                Timestamp(nanosecondsSinceEpoch: time).appendRFC3339(to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        }
        if let user = text(1) { member("user") { $0 += user.utf8 } }
        bytes.append(UInt8(ascii: "}"))
    }
}
