import Foundation
import SCIMFilter
import WardenCore

/// Saves and reads policies and their versions. Every write is validated first, against the
/// environment too (sources, connectors, attribute names), and runs in one transaction.
public struct PolicyStore: Sendable {
    let database: Database
    let environment: any PolicyEnvironment

    public init(database: Database, environment: any PolicyEnvironment) {
        self.database = database
        self.environment = environment
    }

    static let policyColumnNames = [
        "id", "name", "description", "state", "datasource_ids", "current_version_number", "draft_version_number", "retry_count",
        "no_retry_for_failed_workflows", "max_changes_absolute", "max_changes_percent", "created_at", "created_by", "updated_at",
    ]
    static let policyColumns = policyColumnNames.joined(separator: ", ")
    static let versionColumns = "policy_id, version_number, state, config, created_at, created_by, updated_at, published_at, published_by"

    /// Validates a create body and saves the policy with version 1 as a DRAFT holding its `config`
    /// (empty when not given); returns the new id. One 400 lists every problem, those of the body and
    /// those the environment shows; 409 when the name is taken.
    public func create(_ body: JSONValue, by actor: String) async throws -> String {
        var reader = ConfigReader()
        let input = PolicyInput.read(body, reader: &reader)
        var violations = reader.violations
        for (offset, source) in input.datasourceIDs.enumerated() where !(try await environment.sourceExists(id: source)) {
            violations.append(.init(field: "datasource_ids[\(offset)]", description: "datasource_ids[\(offset)]: there is no identity source \"\(source)\""))
        }
        violations += try await input.config.environmentViolations(environment, sourceIDs: input.datasourceIDs)
        guard violations.isEmpty else { throw APIError.invalidFields(violations) }

        let id = UUID().uuidString.lowercased()
        let now = Timestamp.now
        var insert = database.statement("INSERT INTO lifecycle_policies (\(Self.policyColumns), updated_by) VALUES (")
        insert.append(binds: [
            id.databaseValue, input.name.databaseValue, input.description.databaseValue, input.state.rawValue.databaseValue,
            try WireJSON.text(input.datasourceIDs).databaseValue, 0.databaseValue, 1.databaseValue, input.retryCount.databaseValue,
            input.noRetryForFailedWorkflows.databaseValue, input.safetyLimitSettings.maxChangesAbsolute.databaseValue,
            input.safetyLimitSettings.maxChangesPercent.databaseValue, now.databaseValue, actor.databaseValue, now.databaseValue, actor.databaseValue,
        ])
        insert.append(")")
        let version = insertVersion(policyID: id, number: 1, config: input.config.document, now: now, actor: actor)
        var sources: [SQLText] = []
        for source in Set(input.datasourceIDs) {
            var link = database.statement("INSERT INTO lifecycle_policy_sources (source_id, policy_id) VALUES (")
            link.append(binds: [source.databaseValue, id.databaseValue])
            link.append(")")
            sources.append(link)
        }
        var taken = database.statement("SELECT id FROM lifecycle_policies WHERE name = ")
        taken.append(bind: input.name)
        let nameTaken = APIError(.alreadyExists, "a policy is already named \"\(input.name)\"; policy names are unique", resolution: "Choose another name.")
        do {
            try await database.transaction { [insert, version, sources, taken] connection in
                guard try await connection.first(taken) == nil else { throw nameTaken }
                try await connection.execute(insert)
                try await connection.execute(version)
                for link in sources {
                    try await connection.execute(link)
                }
            }
        } catch let error as PostgresError where error.sqlState == "23505" {
            // Another create of the same name committed between the check and the insert.
            throw nameTaken
        }
        return id
    }

    /// Every policy in creation order, without their versions.
    public func list() async throws -> [Policy] {
        try await database.rows(database.statement("SELECT \(Self.policyColumns) FROM lifecycle_policies ORDER BY seq")).map(Self.decodePolicy)
    }

    /// The policy with its live version; 404 when there is none.
    public func get(id: String) async throws -> Policy {
        try await database.read { connection in
            var policy = try await policy(id: id, on: connection)
            if policy.currentVersionNumber > 0 {
                policy.currentVersion = try await version(policyID: id, number: policy.currentVersionNumber, on: connection)
            }
            return policy
        }
    }

    /// The policies whose `datasource_ids` include `sourceID`, each with its live version (nil when
    /// none is published), in creation order: what the runner evaluates for a change in that source.
    public func policies(sourceID: String) async throws -> [Policy] {
        var select = database.statement("SELECT \(Self.policyColumnNames.map { "p.\($0)" }.joined(separator: ", "))")
        select.append(" FROM lifecycle_policies p JOIN lifecycle_policy_sources s ON s.policy_id = p.id WHERE s.source_id = ")
        select.append(bind: sourceID)
        select.append(" ORDER BY p.seq")
        return try await database.read { [select] connection in
            var policies: [Policy] = []
            for row in try await connection.rows(select) {
                var policy = try Self.decodePolicy(row)
                if policy.currentVersionNumber > 0 {
                    policy.currentVersion = try await version(policyID: policy.id, number: policy.currentVersionNumber, on: connection)
                }
                policies.append(policy)
            }
            return policies
        }
    }

    /// Sets the policy's state; RUNNING and DRY_RUN need a published version. Returns the policy.
    @discardableResult
    public func setState(id: String, to state: PolicyState, by actor: String) async throws -> Policy {
        try await database.transaction { connection in
            let policy = try await lock(id: id, by: actor, on: connection)
            if state.needsLiveVersion, policy.currentVersionNumber == 0 {
                throw APIError(
                    .failedPrecondition, "policy \(id) has no published version, so it cannot be \(state.rawValue)",
                    resolution: "Publish a version first (POST .../versions/{n}:publish).")
            }
            try await connection.execute(updatePolicy(id: id, [("state", state.rawValue.databaseValue)]))
            var changed = try await self.policy(id: id, on: connection)
            changed.state = state
            return changed
        }
    }

    // MARK: Rows

    /// The policy without its versions; 404 when there is none.
    func policy(id: String) async throws -> Policy {
        try await database.read { try await policy(id: id, on: $0) }
    }

    func policy(id: String, on connection: DatabaseConnection) async throws -> Policy {
        var select = database.statement("SELECT \(Self.policyColumns) FROM lifecycle_policies WHERE id = ")
        select.append(bind: id)
        guard let row = try await connection.first(select) else { throw Self.notFound(id) }
        return try Self.decodePolicy(row)
    }

    /// Marks the policy updated by `actor` and returns it; the update holds the policy's row until
    /// the transaction ends, so version changes of one policy happen one at a time.
    func lock(id: String, by actor: String, on connection: DatabaseConnection) async throws -> Policy {
        var touch = updatePolicy(id: id, [("updated_at", Timestamp.now.databaseValue), ("updated_by", actor.databaseValue)])
        touch.append(" RETURNING \(Self.policyColumns)")
        guard let row = try await connection.first(touch) else { throw Self.notFound(id) }
        return try Self.decodePolicy(row)
    }

    /// `UPDATE lifecycle_policies SET column = value, ...` for one policy.
    func updatePolicy(id: String, _ assignments: [(String, DatabaseValue)]) -> SQLText {
        var update = database.statement("UPDATE lifecycle_policies SET ")
        Self.append(assignments, to: &update)
        update.append(" WHERE id = ")
        update.append(bind: id)
        return update
    }

    /// `column = value, ...` with the values bound.
    static func append(_ assignments: [(String, DatabaseValue)], to statement: inout SQLText) {
        for (offset, (column, value)) in assignments.enumerated() {
            statement.append("\(offset == 0 ? "" : ", ")\(column) = ")
            statement.append(bind: value)
        }
    }

    static func notFound(_ id: String) -> APIError {
        .notFound("policy \(id)")
    }

    private static func decodePolicy(_ row: DatabaseRow) throws -> Policy {
        var reader = row.reader()
        let id = try reader.text()
        let name = try reader.text()
        let description = try reader.text()
        let state = try reader.wireEnum(PolicyState.self)
        let sources = try WireJSON.value([String].self, from: try reader.text())
        let current = Int(try reader.integer())
        let draft = Int(try reader.integer())
        let retryCount = Int(try reader.integer())
        let noRetry = try reader.bool()
        let limits = SafetyLimitSettings(maxChangesAbsolute: Int(try reader.integer()), maxChangesPercent: Int(try reader.integer()))
        return Policy(
            id: id, name: name, description: description, state: state, datasourceIDs: sources, currentVersionNumber: current,
            draftVersionNumber: draft, currentVersion: nil, retryCount: retryCount, noRetryForFailedWorkflows: noRetry,
            safetyLimitSettings: limits, createdAt: try reader.timestamp(), createdBy: try reader.text(), updatedAt: try reader.timestamp())
    }
}
