import Foundation
import NIOCore
import SCIMFilter
import WardenCore

/// Runs an import: an extraction event that stages the identities a body holds, compares them with
/// the source's identities in SQL (joined, changed with the attributes that changed, left) and
/// applies the result in one transaction, or, if any row is bad, applies nothing.
public struct IdentityImporter: Sendable {
    let database: Database
    let clock: LifecycleClock

    public init(database: Database, clock: LifecycleClock = .system) {
        self.database = database
        self.clock = clock
    }

    /// Identities staged per transaction while the body is read.
    static let stagingBatchSize = 5_000
    /// Changed identities compared per statement.
    static let comparisonBatchSize = 10_000

    /// Staged identities go into `table`.
    static func staging(_ table: String) -> Upsert {
        Upsert(table: table, columns: ["extraction_event", "identity_id", "entity_id", "name", "attributes", "attributes_hash"], key: [])
    }
    static let attributeNames = Upsert(table: "lcm_source_attributes", columns: ["source_id", "name"], key: ["source_id", "name"])
    static let changes = Upsert(table: "lcm_identity_changes", columns: ["extraction_event", "source_id", "identity_id", "kind", "changes", "at"], key: [])

    /// Imports `body` into `source`; without a `contentType` naming its format, the body's first
    /// character decides. A bad row refuses the whole import with a 400 naming its line, and the
    /// extraction event is left FAILED saying why.
    public func run<Body: AsyncSequence>(
        source: IdentitySource, mode: ExtractionEvent.Mode, contentType: String?, body: Body, by actor: String,
        afterApplying plan: @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks = { _, _ in PlannedTasks() }
    ) async throws -> ExtractionEvent where Body.Element == ByteBuffer {
        try await run(source: source, mode: mode, contentType: contentType, body: body, leaving: nil, by: actor, afterApplying: plan)
    }

    /// Pushes identities into `source` as an INCREMENTAL import of just them would (a SCIM push):
    /// `identities` join or change, and the identity `leaving`, if given, leaves. One extraction event.
    func push(
        source: IdentitySource, identities: [[String: JSONValue]], leaving: String?, by actor: String,
        afterApplying plan: @escaping @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks
    ) async throws -> ExtractionEvent {
        let lines = identities.map { JSONValue.object($0).jsonText + "\n" }.joined()
        let body = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(string: lines))
            continuation.finish()
        }
        return try await run(source: source, mode: .incremental, contentType: "application/x-ndjson", body: body, leaving: leaving, by: actor, afterApplying: plan)
    }

    private func run<Body: AsyncSequence>(
        source: IdentitySource, mode: ExtractionEvent.Mode, contentType: String?, body: Body, leaving: String?, by actor: String,
        afterApplying plan: @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks
    ) async throws -> ExtractionEvent where Body.Element == ByteBuffer {
        let event = try await start(source: source, mode: mode, by: actor)
        let staging = Self.staging(statements(for: event).staging)
        var writing: Task<Void, any Error>?
        do {
            var reader = IdentityImportReader(source: source, format: .init(contentType: contentType))
            var batch: [ImportedIdentity] = []
            func flush() async throws {
                let rows = batch.map { identity -> [DatabaseValue] in
                    [.text(event.id), .text(identity.identityID), .text(identity.entityID), .text(identity.name), .text(identity.attributesText), .integer(identity.attributesHash)]
                }
                batch.removeAll(keepingCapacity: true)
                try await writing?.value
                writing = Task { [database] in try await database.transaction { try await $0.execute(staging, rows: rows) } }
            }
            for try await chunk in body {
                batch += try reader.read(chunk)
                if batch.count >= Self.stagingBatchSize { try await flush() }
            }
            batch += try reader.finish()
            try await flush()
            try await writing?.value
            return try await apply(event, source: source, read: Int64(reader.count), attributeNames: reader.attributeNames, leaving: leaving, plan: plan)
        } catch {
            // The batch being staged finishes (or fails) before the staging rows are removed.
            _ = try? await writing?.value
            try? await fail(event, error)
            throw error
        }
    }

    /// Marks FAILED the imports a stopped server left RUNNING (its staged rows are gone with it on
    /// SQLite, and removed here on PostgreSQL); nothing of them was applied. Call once at start-up.
    /// With several servers on one PostgreSQL database, an import another one is running is marked too.
    public func recoverInterrupted() async throws {
        var update = database.statement("""
            UPDATE lcm_extraction_events SET state = 'FAILED', message = 'interrupted: the server stopped before the import was applied; nothing of it was applied, import the file again', completed_at = 
            """)
        update.append(bind: clock.now)
        update.append(" WHERE state = 'RUNNING'")
        let clear = database.kind == .postgres
            ? database.statement("DELETE FROM lcm_identity_staging WHERE extraction_event IN (SELECT id FROM lcm_extraction_events WHERE state = 'RUNNING')")
            : nil
        try await database.transaction { [update, clear] connection in
            if let clear { try await connection.execute(clear) }
            try await connection.execute(update)
        }
    }

    /// The SQL of `event`'s staging and comparison; changes are stamped `now` (its start by default).
    private func statements(for event: ExtractionEvent, now: Timestamp? = nil, leaving: String? = nil) -> ComparisonStatements {
        ComparisonStatements(database: database, extraction: event.id, sourceID: event.sourceID, now: now ?? event.startedAt, leaving: leaving)
    }

    private func start(source: IdentitySource, mode: ExtractionEvent.Mode, by actor: String) async throws -> ExtractionEvent {
        let event = ExtractionEvent(
            id: UUID().uuidString.lowercased(), sourceID: source.id, mode: mode, state: .running, startedAt: clock.now, completedAt: nil,
            identitiesRead: 0, joined: 0, changed: 0, left: 0, unchanged: 0, tasksCreated: 0, tasksBlocked: 0, message: "", createdBy: actor)
        var insert = database.statement("INSERT INTO lcm_extraction_events (\(ExtractionEvent.columns)) VALUES (")
        insert.append(binds: [
            .text(event.id), .text(event.sourceID), .text(mode.rawValue), .text(event.state.rawValue), event.startedAt.databaseValue, .null,
            .integer(0), .integer(0), .integer(0), .integer(0), .integer(0), .integer(0), .integer(0), .text(""), .text(actor),
        ])
        insert.append(")")
        let createStaging = statements(for: event).createStaging
        try await database.transaction { [insert] connection in
            try await connection.execute(insert)
            if let createStaging { try await connection.execute(createStaging) }
        }
        return event
    }

    private func fail(_ event: ExtractionEvent, _ error: any Error) async throws {
        let message = (error as? APIError)?.message ?? "the import broke off: \(error)"
        var update = database.statement("UPDATE lcm_extraction_events SET state = 'FAILED', completed_at = ")
        update.append(bind: clock.now)
        update.append(", message = ")
        update.append(bind: message)
        update.append(" WHERE id = ")
        update.append(bind: event.id)
        let clear = statements(for: event).clearStaging
        try await database.transaction { [update, clear] connection in
            try await connection.execute(clear)
            try await connection.execute(update)
        }
    }

    /// Compares the staged identities with the source's and applies the differences, all in one
    /// transaction; with `leaving`, that one identity leaves whatever the mode.
    private func apply(
        _ started: ExtractionEvent, source: IdentitySource, read: Int64, attributeNames: Set<String>, leaving: String?,
        plan: @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks
    ) async throws -> ExtractionEvent {
        let now = clock.now
        let statements = statements(for: started, now: now, leaving: leaving)
        return try await database.transaction(statementTimeout: Database.longStatementTimeout) { connection in
            if database.kind == .postgres { try await connection.execute(statements.lockSource) }
            try await connection.execute(statements.recordJoined)
            var after = ""
            while true {
                let rows = try await connection.rows(statements.changedBatch(after: after, limit: Self.comparisonBatchSize))
                guard let last = rows.last else { break }
                var changes: [[DatabaseValue]] = []
                for row in rows {
                    var reader = row.reader()
                    let identityID = try reader.text()
                    let difference = try Self.difference(old: try reader.text(), new: try reader.text())
                    guard !difference.isEmpty else { continue }
                    changes.append([.text(started.id), .text(source.id), .text(identityID), .text(IdentityChangeKind.changed.rawValue), .text(try WireJSON.text(difference)), now.databaseValue])
                }
                try await connection.execute(Self.changes, rows: changes)
                var reader = last.reader()
                after = try reader.text()
            }
            if started.mode == .full || leaving != nil {
                try await connection.execute(statements.recordLeft)
                try await connection.execute(statements.markLeft)
            }
            try await connection.execute(statements.applyStaged)
            try await connection.execute(Self.attributeNames, rows: attributeNames.sorted().map { [.text(source.id), .text($0)] })
            try await connection.execute(statements.clearStaging)
            var event = started
            for row in try await connection.rows(statements.countChanges) {
                var reader = row.reader()
                let kind = try reader.text()
                let count = try reader.integer()
                switch IdentityChangeKind(rawValue: kind) {
                case .joined?: event.joined = count
                case .changed?: event.changed = count
                case .left?: event.left = count
                case nil: break
                }
            }
            event.identitiesRead = read
            event.unchanged = read - event.joined - event.changed
            event.state = .completed
            event.completedAt = now
            let planned = try await plan(event, connection)
            event.tasksCreated = planned.created
            event.tasksBlocked = planned.blocked
            event.message = "\(event.joined) joined, \(event.changed) changed, \(event.left) left, \(event.unchanged) unchanged; \(event.tasksCreated) tasks created, \(event.tasksBlocked) blocked"
                + planned.problems.map { "; \($0)" }.joined()
            try await connection.execute(statements.complete(event))
            return event
        }
    }

    /// Each attribute whose value differs between two attribute objects' JSON texts.
    static func difference(old: String, new: String) throws -> [String: IdentityChange.AttributeChange] {
        let before = try WireJSON.value([String: JSONValue].self, from: old)
        let after = try WireJSON.value([String: JSONValue].self, from: new)
        var changes: [String: IdentityChange.AttributeChange] = [:]
        for name in Set(before.keys).union(after.keys) where before[name] != after[name] {
            changes[name] = .init(old: before[name] ?? .null, new: after[name] ?? .null)
        }
        return changes
    }
}
