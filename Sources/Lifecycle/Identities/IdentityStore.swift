import Foundation
import SCIMFilter
import WardenCore

/// Lists and reads identities, their history, and extraction events.
public struct IdentityStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, source_id, entity_id, name, active, attributes, first_seen_at, updated_at, left_at, last_extraction_event"

    /// One page of identities; `sourceID` narrows it to one source.
    public func list(_ request: ListRequest, sourceID: String?, signer: PageTokenSigner) async throws -> ListPage<Identity> {
        var select = database.statement("SELECT \(Self.columns)\(request.sortKeyColumns) FROM lcm_identities")
        try request.appendClauses(to: &select, scope: sourceID.map { id in
            { sql in
                sql.append("source_id = ")
                sql.append(bind: id)
            }
        })
        return try request.page(try await database.rows(select), signer: signer, decode: Self.decode)
    }

    /// The identity with this id, with its history; 404 when there is none.
    public func get(id: String) async throws -> Identity {
        var select = database.statement("SELECT \(Self.columns) FROM lcm_identities WHERE id = ")
        select.append(bind: id)
        var history = database.statement("SELECT extraction_event, identity_id, kind, changes, at FROM lcm_identity_changes WHERE identity_id = ")
        history.append(bind: id)
        history.append(" ORDER BY seq")
        return try await database.read { [select, history] connection in
            guard let row = try await connection.first(select) else { throw APIError.notFound("identity \(id)") }
            var identity = try Self.decode(row)
            identity.history = try await connection.rows(history).map(Self.decodeChange)
            return identity
        }
    }

    /// The extraction event with this id; 404 when there is none.
    public func extractionEvent(id: String) async throws -> ExtractionEvent {
        var select = database.statement("SELECT \(ExtractionEvent.columns) FROM lcm_extraction_events WHERE id = ")
        select.append(bind: id)
        guard let row = try await database.first(select) else { throw APIError.notFound("extraction event \(id)") }
        return try ExtractionEvent.decode(row)
    }

    /// The newest extraction events, of one source when `sourceID` is given.
    public func extractionEvents(sourceID: String?, limit: Int) async throws -> [ExtractionEvent] {
        var select = database.statement("SELECT \(ExtractionEvent.columns) FROM lcm_extraction_events")
        if let sourceID {
            select.append(" WHERE source_id = ")
            select.append(bind: sourceID)
        }
        select.append(" ORDER BY seq DESC LIMIT ")
        select.append(bind: Int64(limit))
        return try await database.rows(select).map(ExtractionEvent.decode)
    }

    static func decode(_ row: DatabaseRow) throws -> Identity {
        var reader = row.reader()
        return Identity(
            id: try reader.text(), sourceID: try reader.text(), entityID: try reader.text(), name: try reader.text(), active: try reader.bool(),
            attributes: try WireJSON.value([String: JSONValue].self, from: try reader.text()), firstSeenAt: try reader.timestamp(),
            updatedAt: try reader.timestamp(), leftAt: try reader.optionalTimestamp(), lastExtractionEvent: try reader.text(), history: nil)
    }

    static func decodeChange(_ row: DatabaseRow) throws -> IdentityChange {
        var reader = row.reader()
        let extraction = try reader.text()
        let identityID = try reader.text()
        let kind = try reader.text()
        return IdentityChange(
            extractionEvent: extraction, identityID: identityID, kind: IdentityChangeKind(rawValue: kind) ?? .changed,
            changedAttributes: try WireJSON.value([String: IdentityChange.AttributeChange].self, from: try reader.text()), at: try reader.timestamp())
    }
}

extension IdentityStore {
    /// The identities with these ids as policies see them, by id, read on `connection`.
    func snapshots(ids: Set<String>, on connection: DatabaseConnection) async throws -> [String: IdentitySnapshot] {
        guard !ids.isEmpty else { return [:] }
        var select = database.statement("SELECT id, name, source_id, attributes FROM lcm_identities WHERE id IN (")
        select.append(binds: ids.map(DatabaseValue.text))
        select.append(")")
        var snapshots: [String: IdentitySnapshot] = [:]
        for row in try await connection.rows(select) {
            var reader = row.reader()
            let snapshot = IdentitySnapshot(
                id: try reader.text(), name: try reader.text(), sourceID: try reader.text(),
                attributes: try WireJSON.value([String: JSONValue].self, from: try reader.text()))
            snapshots[snapshot.id] = snapshot
        }
        return snapshots
    }

    /// The identity with this id as policies see it, or nil.
    func snapshot(id: String) async throws -> IdentitySnapshot? {
        try await database.read { try await snapshots(ids: [id], on: $0)[id] }
    }
}

extension IdentityStore {
    /// Every attribute name the imports of these sources held.
    func attributeNames(sourceIDs: [String]) async throws -> Set<String> {
        guard !sourceIDs.isEmpty else { return [] }
        var select = database.statement("SELECT DISTINCT name FROM lcm_source_attributes WHERE source_id IN (")
        select.append(binds: sourceIDs.map(DatabaseValue.text))
        select.append(")")
        return Set(try await database.rows(select).map { row in
            var reader = row.reader()
            return try reader.text()
        })
    }
}
