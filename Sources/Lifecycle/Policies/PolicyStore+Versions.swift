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
        let config = try PolicyConfig(validating: document)
        let sources = try await policy(id: policyID).datasourceIDs
        try await checkEnvironment(config, sourceIDs: sources)
        return try await database.transaction { connection in
            _ = try await lock(id: policyID, by: actor, on: connection)
            let version = try await version(policyID: policyID, number: number, on: connection)
            guard version.state == .draft else {
                throw APIError(
                    .failedPrecondition, "version \(number) of policy \(policyID) is \(version.state.rawValue); only a DRAFT version can be changed",
                    resolution: "Create a draft (POST .../versions:create_draft), change it, and publish it: tasks that started on a version finish on it.")
            }
            let now = Timestamp.now
            var update = database.statement("UPDATE lifecycle_policy_versions SET config = ")
            update.append(bind: document.jsonText)
            update.append(", updated_at = ")
            update.append(bind: now)
            update.append(", updated_by = ")
            update.append(bind: actor)
            update.append(" WHERE policy_id = ")
            update.append(bind: policyID)
            update.append(" AND version_number = ")
            update.append(bind: number)
            try await connection.execute(update)
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
            try await connection.execute(setVersionNumbers(policyID: policyID, current: policy.currentVersionNumber, draft: number))
            return PolicyVersion(
                policyID: policyID, versionNumber: number, state: .draft, config: live.config, createdAt: now, createdBy: actor, updatedAt: now,
                publishedAt: nil, publishedBy: "")
        }
    }

    /// Publishes a DRAFT version after validating it against the environment: it becomes PUBLISHED
    /// and the previous live version RETIRED, in one transaction.
    public func publish(policyID: String, number: Int, by actor: String) async throws -> PolicyVersion {
        let draft = try await version(policyID: policyID, number: number)
        try await checkEnvironment(draft.config, sourceIDs: try await policy(id: policyID).datasourceIDs)
        return try await database.transaction { connection in
            let policy = try await lock(id: policyID, by: actor, on: connection)
            var version = try await version(policyID: policyID, number: number, on: connection)
            guard version.state == .draft else {
                throw APIError(
                    .failedPrecondition, "version \(number) of policy \(policyID) is \(version.state.rawValue); only a DRAFT version can be published",
                    resolution: "Create a draft (POST .../versions:create_draft) and publish that.")
            }
            let now = Timestamp.now
            if policy.currentVersionNumber > 0 {
                try await connection.execute(setVersionState(policyID: policyID, number: policy.currentVersionNumber, .retired))
            }
            var stamp = database.statement("UPDATE lifecycle_policy_versions SET published_at = ")
            stamp.append(bind: now)
            stamp.append(", published_by = ")
            stamp.append(bind: actor)
            stamp.append(" WHERE policy_id = ")
            stamp.append(bind: policyID)
            stamp.append(" AND version_number = ")
            stamp.append(bind: number)
            try await connection.execute(setVersionState(policyID: policyID, number: number, .published))
            try await connection.execute(stamp)
            try await connection.execute(setVersionNumbers(policyID: policyID, current: number, draft: 0))
            version.state = .published
            version.publishedAt = now
            version.publishedBy = actor
            return version
        }
    }

    /// Throws one 400 listing what the environment finds wrong with `config`.
    private func checkEnvironment(_ config: PolicyConfig, sourceIDs: [String]) async throws {
        let violations = try await config.environmentViolations(environment, sourceIDs: sourceIDs)
        guard violations.isEmpty else { throw APIError.invalidFields(violations) }
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

    private func setVersionState(policyID: String, number: Int, _ state: PolicyVersionState) -> SQLText {
        var update = database.statement("UPDATE lifecycle_policy_versions SET state = ")
        update.append(bind: state.rawValue)
        update.append(" WHERE policy_id = ")
        update.append(bind: policyID)
        update.append(" AND version_number = ")
        update.append(bind: number)
        return update
    }

    private func setVersionNumbers(policyID: String, current: Int, draft: Int) -> SQLText {
        var update = database.statement("UPDATE lifecycle_policies SET current_version_number = ")
        update.append(bind: current)
        update.append(", draft_version_number = ")
        update.append(bind: draft)
        update.append(" WHERE id = ")
        update.append(bind: policyID)
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
