import Foundation
import SCIMFilter
import WardenCore

/// Saves, lists, updates and deletes smart action definitions; every write is validated first.
public struct SmartActionDefinitionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, name, description, workflow_id, filter, mutable_fields, mutable_filter, apply_to_all_rows"

    /// Validates and saves a new definition under a new id, which it returns.
    public func create(_ input: SmartActionDefinition.Input, by actor: String) async throws -> String {
        let definition = input.applied(to: SmartActionDefinition(id: UUID().uuidString.lowercased()))
        try definition.validate()
        let now = Timestamp.now
        var insert = database.statement("INSERT INTO awf_smart_action_definitions (\(Self.columns), created_at, created_by, updated_at, updated_by) VALUES (")
        insert.append(binds: try Self.values(of: definition).map(\.1) + [now.databaseValue, .text(actor), now.databaseValue, .text(actor)])
        insert.append(")")
        try await database.transaction { [insert] in try await $0.execute(insert) }
        return definition.id
    }

    /// Every definition in creation order; with a non-empty `workflowID`, that workflow's and the
    /// global ones (Veza's rule).
    public func list(workflowID: String?) async throws -> [SmartActionDefinition] {
        var select = database.statement("SELECT \(Self.columns) FROM awf_smart_action_definitions")
        if let workflowID, !workflowID.isEmpty {
            select.append(" WHERE workflow_id = '' OR workflow_id = ")
            select.append(bind: workflowID)
        }
        select.append(" ORDER BY seq")
        return try await database.rows(select).map(Self.decode)
    }

    /// The definition with this id; 404 when there is none.
    public func get(id: String) async throws -> SmartActionDefinition {
        try await database.read { try await get(id: id, on: $0) }
    }

    /// The definition with this id, read on a connection the caller holds (inside its transaction).
    func get(id: String, on connection: DatabaseConnection) async throws -> SmartActionDefinition {
        guard let row = try await connection.first(select(id: id)) else { throw Self.notFound(id) }
        return try Self.decode(row)
    }

    /// Replaces the members `input` sends, validates the result and saves it; 404 when there is no such
    /// definition, 400 when `input` names another id.
    @discardableResult
    public func update(id: String, with input: SmartActionDefinition.Input, by actor: String) async throws -> SmartActionDefinition {
        if let other = input.id, !other.isEmpty, other != id {
            throw APIError.invalidArgument("value.id", "the body's id \"\(other)\" differs from the definition being updated, \"\(id)\"")
        }
        let select = select(id: id)
        return try await database.transaction { connection in
            guard let row = try await connection.first(select) else { throw Self.notFound(id) }
            let definition = input.applied(to: try Self.decode(row))
            try definition.validate()
            var update = database.statement("UPDATE awf_smart_action_definitions SET ")
            for (column, value) in try Self.values(of: definition).dropFirst() {
                update.append("\(column) = ")
                update.append(bind: value)
                update.append(", ")
            }
            update.append("updated_at = ")
            update.append(bind: Timestamp.now)
            update.append(", updated_by = ")
            update.append(bind: actor)
            update.append(" WHERE id = ")
            update.append(bind: id)
            try await connection.execute(update)
            return definition
        }
    }

    /// Deletes the definition; 404 when there is none.
    public func delete(id: String) async throws {
        var delete = database.statement("DELETE FROM awf_smart_action_definitions WHERE id = ")
        delete.append(bind: id)
        delete.append(" RETURNING id")
        let deleted = try await database.transaction { [delete] in try await $0.rows(delete) }
        guard !deleted.isEmpty else { throw Self.notFound(id) }
    }

    private func select(id: String) -> SQLText {
        var select = database.statement("SELECT \(Self.columns) FROM awf_smart_action_definitions WHERE id = ")
        select.append(bind: id)
        return select
    }

    private static func notFound(_ id: String) -> APIError {
        .notFound("smart action definition \(id)")
    }

    /// Each stored column with its value, in `columns` order.
    private static func values(of definition: SmartActionDefinition) throws -> [(String, DatabaseValue)] {
        let mutableFields = try WireJSON.text(definition.mutableFields)
        return [
            ("id", .text(definition.id)), ("name", .text(definition.name)), ("description", .text(definition.description)),
            ("workflow_id", .text(definition.workflowID)), ("filter", .text(definition.filter)),
            ("mutable_fields", .text(mutableFields)), ("mutable_filter", .text(definition.mutableFilter)),
            ("apply_to_all_rows", .boolean(definition.applyToAllRows)),
        ]
    }

    private static func decode(_ row: DatabaseRow) throws -> SmartActionDefinition {
        var reader = row.reader()
        return SmartActionDefinition(
            id: try reader.text(), name: try reader.text(), description: try reader.text(), workflowID: try reader.text(),
            filter: try reader.text(),
            mutableFields: try WireJSON.value(MutableFields.self, from: try reader.text()),
            mutableFilter: try reader.text(), applyToAllRows: try reader.bool()
        )
    }
}
