import AccessReviews
import WardenCore

extension Certification {
    /// The certification's name, due date and progress as pages show them: rows decided and (when
    /// `signedOff` is given) signed off of the total, the counts the API gives the caller; and a
    /// state in words.
    func progressValues(signedOff: Int64?) -> [String: Any] {
        let total = totalResultCount
        let decided = totalCompleteCount
        let state = if total == 0 {
            "Empty"
        } else if signedOff == total {
            "Signed off"
        } else if decided == total {
            "Decided"
        } else if decided == 0, (signedOff ?? 0) == 0 {
            "Not started"
        } else {
            "In progress"
        }
        var values: [String: Any] = [
            "id": certificationID, "name": name.isEmpty ? certificationID : name, "state": state, "total": String(total),
            "decided": String(decided),
            "percent_decided": total == 0 ? 0 : Int(decided * 100 / total),
        ]
        if let signedOff { values["signed_off"] = String(signedOff) }
        if let dueDate {
            values["due"] = dueDate.pageValue
            values["overdue"] = dueDate < .now && decided < total
        }
        return values
    }
}
