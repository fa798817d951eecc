import Foundation
import SCIMFilter
import WardenCore

extension IdentityStore {
    /// Sets the identity's `attribute` to `value` (WRITE_BACK_EMAIL), with a CHANGED entry in its
    /// history whose extraction event is empty. No policy is triggered: policies run on extraction
    /// events (imports and SCIM pushes), and this is neither. The stored attributes and their hash
    /// change as an import would change them, so an import carrying the same value sees no change.
    /// Returns whether the value was new; throws not-found when the identity is gone.
    func writeBack(identityID: String, attribute: String, value: String, at now: Timestamp) async throws -> Bool {
        try await database.transaction { connection in
            var select = database.statement("SELECT source_id, attributes FROM lcm_identities WHERE id = ")
            select.append(bind: identityID)
            guard let row = try await connection.first(select) else { throw APIError.notFound("identity \(identityID)") }
            var reader = row.reader()
            let sourceID = try reader.text()
            var attributes = try WireJSON.value([String: JSONValue].self, from: try reader.text())
            let old = attributes[attribute] ?? .null
            guard old != .string(value) else { return false }
            attributes[attribute] = .string(value)
            let text = JSONValue.object(attributes).jsonText
            var update = database.statement("UPDATE lcm_identities SET attributes = ")
            update.append(bind: text)
            update.append(", attributes_hash = ")
            update.append(bind: ImportedIdentity.hash(text))
            update.append(", updated_at = ")
            update.append(bind: now.databaseValue)
            update.append(" WHERE id = ")
            update.append(bind: identityID)
            try await connection.execute(update)
            let change = [attribute: IdentityChange.AttributeChange(old: old, new: .string(value))]
            try await connection.execute(IdentityImporter.changes, rows: [[
                .text(""), .text(sourceID), .text(identityID), .text(IdentityChangeKind.changed.rawValue),
                .text(try WireJSON.text(change)), now.databaseValue,
            ]])
            return true
        }
    }
}
