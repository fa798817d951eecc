import SCIMFilter
import WardenCore

extension PolicyStore {
    /// Every version of the policy, oldest first; 404 when there is no such policy.
    public func versions(policyID: String) async throws -> [PolicyVersion] {
        try await database.read { connection in
            _ = try await policy(id: policyID, on: connection)
            var select = database.statement("SELECT \(Self.versionColumns) FROM lifecycle_policy_versions WHERE policy_id = ")
            select.append(bind: policyID)
            select.append(" ORDER BY version_number")
            return try await connection.rows(select).map(Self.decodeVersion)
        }
    }

    /// One version with its config parsed and validated; 404 when there is none.
    public func version(policyID: String, number: Int) async throws -> PolicyVersion {
        try await database.read { try await version(policyID: policyID, number: number, on: $0) }
    }

    func version(policyID: String, number: Int, on connection: DatabaseConnection) async throws -> PolicyVersion {
        var select = database.statement("SELECT \(Self.versionColumns) FROM lifecycle_policy_versions WHERE policy_id = ")
        select.append(bind: policyID)
        select.append(" AND version_number = ")
        select.append(bind: number)
        guard let row = try await connection.first(select) else {
            _ = try await policy(id: policyID, on: connection)
            throw APIError.notFound("version \(number) of policy \(policyID)")
        }
        return try Self.decodeVersion(row)
    }

    /// Replaces a DRAFT version's config after validating it; a published or retired version is
    /// refused (tasks that started on it must finish on it).
    public func updateDraft(policyID: String, number: Int, config document: JSONValue, by actor: String) async throws -> PolicyVersion {
        var parser = PolicyConfigParser()
        let config = parser.parse(document, at: "config")
        let sources = try await policy(id: policyID).datasourceIDs
        let violations = parser.reader.violations + (try await config.environmentViolations(environment, sourceIDs: sources))
        guard violations.isEmpty else { throw APIError.invalidFields(violations) }
        return try await database.transaction { connection in
            let (_, version) = try await lockDraft(policyID: policyID, number: number, by: actor, to: "changed", on: connection)
            let now = Timestamp.now
            try await connection.execute(updateVersion(policyID: policyID, number: number, [
                ("config", document.jsonText.databaseValue), ("updated_at", now.databaseValue), ("updated_by", actor.databaseValue),
            ]))
            var updated = version
            updated.config = config
            updated.updatedAt = now
            return updated
        }
    }

    /// Copies the live version's config into a new DRAFT version; 409 when a draft exists, 400 when
    /// nothing is published yet.
    public func createDraft(policyID: String, by actor: String) async throws -> PolicyVersion {
        try await database.transaction { connection in
            let policy = try await lock(id: policyID, by: actor, on: connection)
            guard policy.draftVersionNumber == 0 else {
                throw APIError(
                    .alreadyExists, "policy \(policyID) already has a draft, version \(policy.draftVersionNumber)",
                    resolution: "Change that draft (PUT .../versions/\(policy.draftVersionNumber)) or publish it.")
            }
            guard policy.currentVersionNumber > 0 else {
                throw APIError(.failedPrecondition, "policy \(policyID) has no published version to copy", resolution: "Publish its draft first.")
            }
            let live = try await version(policyID: policyID, number: policy.currentVersionNumber, on: connection)
            var latest = database.statement("SELECT MAX(version_number) FROM lifecycle_policy_versions WHERE policy_id = ")
            latest.append(bind: policyID)
            var reader = try await connection.first(latest)?.reader()
            let number = Int(try reader?.integer() ?? 0) + 1
            let now = Timestamp.now
            try await connection.execute(insertVersion(policyID: policyID, number: number, config: live.config.document, now: now, actor: actor))
            try await connection.execute(updatePolicy(id: policyID, [("draft_version_number", number.databaseValue)]))
            return PolicyVersion(
                policyID: policyID, versionNumber: number, state: .draft, config: live.config, createdAt: now, createdBy: actor, updatedAt: now,
                publishedAt: nil, publishedBy: "")
        }
    }

    /// Publishes a DRAFT version after validating it against the environment: it becomes PUBLISHED
    /// and the previous live version RETIRED, in one transaction.
    public func publish(policyID: String, number: Int, by actor: String) async throws -> PolicyVersion {
        let draft = try await version(policyID: policyID, number: number)
        let violations = try await draft.config.environmentViolations(environment, sourceIDs: try await policy(id: policyID).datasourceIDs)
        guard violations.isEmpty else { throw APIError.invalidFields(violations) }
        return try await database.transaction { connection in
            var (policy, version) = try await lockDraft(policyID: policyID, number: number, by: actor, to: "published", on: connection)
            let now = Timestamp.now
            if policy.currentVersionNumber > 0 {
                try await connection.execute(updateVersion(policyID: policyID, number: policy.currentVersionNumber, [
                    ("state", PolicyVersionState.retired.rawValue.databaseValue),
                ]))
            }
            try await connection.execute(updateVersion(policyID: policyID, number: number, [
                ("state", PolicyVersionState.published.rawValue.databaseValue), ("published_at", now.databaseValue), ("published_by", actor.databaseValue),
            ]))
            try await connection.execute(updatePolicy(id: policyID, [("current_version_number", number.databaseValue), ("draft_version_number", 0.databaseValue)]))
            version.state = .published
            version.publishedAt = now
            version.publishedBy = actor
            return version
        }
    }

    /// Locks the policy (see `lock`) and reads version `number`, which must be a DRAFT to be `changed`
    /// or `published`: a published or retired version stays as it is, since tasks that started on it
    /// finish on it.
    private func lockDraft(
        policyID: String, number: Int, by actor: String, to be: String, on connection: DatabaseConnection
    ) async throws -> (Policy, PolicyVersion) {
        let policy = try await lock(id: policyID, by: actor, on: connection)
        let version = try await version(policyID: policyID, number: number, on: connection)
        guard version.state == .draft else {
            throw APIError(
                .failedPrecondition, "version \(number) of policy \(policyID) is \(version.state.rawValue); only a DRAFT version can be \(be)",
                resolution: "Create a draft (POST .../versions:create_draft), change it, and publish it: tasks that started on a version finish on it.")
        }
        return (policy, version)
    }

    // MARK: Statements

    func insertVersion(policyID: String, number: Int, config: JSONValue, now: Timestamp, actor: String) -> SQLText {
        var insert = database.statement("INSERT INTO lifecycle_policy_versions (\(Self.versionColumns), updated_by) VALUES (")
        insert.append(binds: [
            policyID.databaseValue, number.databaseValue, PolicyVersionState.draft.rawValue.databaseValue, config.jsonText.databaseValue,
            now.databaseValue, actor.databaseValue, now.databaseValue, DatabaseValue.null, "".databaseValue, actor.databaseValue,
        ])
        insert.append(")")
        return insert
    }

    /// `UPDATE lifecycle_policy_versions SET column = value, ...` for one version.
    private func updateVersion(policyID: String, number: Int, _ assignments: [(String, DatabaseValue)]) -> SQLText {
        var update = database.statement("UPDATE lifecycle_policy_versions SET ")
        Self.append(assignments, to: &update)
        update.append(" WHERE policy_id = ")
        update.append(bind: policyID)
        update.append(" AND version_number = ")
        update.append(bind: number)
        return update
    }

    static func decodeVersion(_ row: DatabaseRow) throws -> PolicyVersion {
        var reader = row.reader()
        let policyID = try reader.text()
        let number = Int(try reader.integer())
        let state = try reader.wireEnum(PolicyVersionState.self)
        let document = try WireJSON.value(JSONValue.self, from: try reader.text())
        return PolicyVersion(
            policyID: policyID, versionNumber: number, state: state, config: try PolicyConfig(validating: document), createdAt: try reader.timestamp(),
            createdBy: try reader.text(), updatedAt: try reader.timestamp(), publishedAt: try reader.optionalTimestamp(), publishedBy: try reader.text())
    }
}
