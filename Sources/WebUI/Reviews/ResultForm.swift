import AccessReviews
import Foundation
import WardenCore

/// A row's small form on the Review page (decision, note, sign-off, reassign), read into the body
/// the API's `PUT certifications/{id}/results` takes, and decoded as the API decodes it.
enum ResultForm {
    /// The user type of a reviewer named only by email, as the reassign box names them.
    static let reviewerUserType = "WardenUser"

    /// The change the form asks for on row `resultID`. A note sent empty clears the row's notes;
    /// `sign_off` signs the row off; `reassign` (an email) makes that person the row's only reviewer.
    static func update(_ fields: FormFields, resultID: Int64) throws -> ResultUpdate {
        var value: [String: Any] = ["result_id": resultID]
        if let decision = fields["decision"], !decision.isEmpty { value["decision"] = decision }
        if let notes = fields["notes"] { value["notes"] = notes.isEmpty ? " " : notes }
        if fields["sign_off"] == "yes" { value["signed_off_state"] = SignedOffState.signedOff.rawValue }
        let reassign = try APIKey.normalizedEmail(fields["reassign"] ?? "", field: "reassign")
        if !reassign.isEmpty {
            value["reviewers"] = [["user_type": reviewerUserType, "id": reassign, "email": reassign, "name": reassign]]
        }
        let body = try JSONSerialization.data(withJSONObject: ["value": value])
        return try WireJSON.decode(ResultUpdate.self, from: body)
    }
}
