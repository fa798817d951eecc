import NIOCore
import SCIMFilter
import SQLKit
import WardenCore

/// Action events in the database: batched upserts from the runner, keyset pages, single lookups.
public struct ActionEventStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = [
        "policy_task", "action_name", "action_type", "state", "policy_id", "policy_version_number", "workflow_name",
        "identity_id", "identity_name", "extraction_event", "any_changes", "jobs_started", "started_at", "completed_at", "message",
    ]
    static let selectList = columns.joined(separator: ", ")
    /// Rows per INSERT statement: 15 binds each keeps a statement well under both databases' bind limits.
    static let rowsPerStatement = 500

    /// Inserts events, or updates them when (policy_task, action_name) exists: one transaction, a few
    /// multi-row statements.
    public func upsert(_ events: [ActionEvent]) async throws {
        guard !events.isEmpty else { return }
        let statements = events.chunks(of: Self.rowsPerStatement).map(statement(upserting:))
        try await database.transaction { sql in
            for statement in statements {
                try await sql.execute(statement)
            }
        }
    }

    private func statement(upserting events: ArraySlice<ActionEvent>) -> SQLText {
        var insert = database.statement("INSERT INTO lcm_action_events (\(Self.selectList)) VALUES ")
        for (index, event) in events.enumerated() {
            insert.append(index == 0 ? "(" : ", (")
            insert.append(binds: [
                event.policyTask, event.actionName, event.actionType.rawValue, event.state.rawValue, event.policyID,
                event.policyVersionNumber, event.workflowName, event.identityID, event.identityName, event.extractionEvent,
                event.anyChanges, event.jobsStarted, SQLOptional(event.startedAt?.nanosecondsSinceEpoch),
                SQLOptional(event.completedAt?.nanosecondsSinceEpoch), event.message,
            ])
            insert.append(")")
        }
        let updates = Self.columns.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        insert.append(" ON CONFLICT (policy_task, action_name) DO UPDATE SET \(updates)")
        return insert
    }

    /// One page of events.
    public func list(_ request: ListRequest, signer: PageTokenSigner) async throws -> ListPage<ActionEvent> {
        var select = database.statement("SELECT \(Self.selectList)\(request.sortKeyColumns) FROM lcm_action_events")
        try request.appendClauses(to: &select)
        let query = select
        let rows = try await database.read { try await $0.all(query) }
        return try request.page(rows, signer: signer, decode: Self.decode)
    }

    /// Streams every event the request selects as CSV (header first), a batch at a time, so memory
    /// stays constant whatever the row count; `write` applies the consumer's backpressure.
    public func exportCSV(_ request: ListRequest, write: (ByteBuffer) async throws -> Void) async throws -> Int {
        var buffer = ByteBuffer()
        CSVWriter.appendRow(ActionEvent.csvHeader, to: &buffer)
        var request = request
        var total = 0
        while true {
            var select = database.statement("SELECT \(Self.selectList)\(request.sortKeyColumns) FROM lcm_action_events")
            try request.appendClauses(to: &select)
            let query = select
            let rows = try await database.read { try await $0.all(query) }
            for row in rows.prefix(request.pageSize) {
                CSVWriter.appendRow(try Self.decode(row).csvCells, to: &buffer)
            }
            total += min(rows.count, request.pageSize)
            try await write(buffer)
            buffer.clear()
            guard rows.count > request.pageSize, let last = rows.prefix(request.pageSize).last else { return total }
            request = try request.continuing(after: last)
        }
    }

    /// The event of `actionName` in task `policyTask`.
    public func get(policyTask: String, actionName: String) async throws -> ActionEvent {
        var select = database.statement("SELECT \(Self.selectList) FROM lcm_action_events WHERE policy_task = ")
        select.append(bind: policyTask)
        select.append(" AND action_name = ")
        select.append(bind: actionName)
        let query = select
        guard let row = try await database.read({ try await $0.first(query) }) else {
            throw APIError.notFound("action event \"\(actionName)\" of workflow task \(policyTask)")
        }
        return try Self.decode(row)
    }

    static func decode(_ row: any SQLRow) throws -> ActionEvent {
        ActionEvent(
            policyTask: try row.decode(column: "policy_task", as: String.self),
            actionName: try row.decode(column: "action_name", as: String.self),
            actionType: ActionType(name: try row.decode(column: "action_type", as: String.self)) ?? .none,
            state: TaskState(name: try row.decode(column: "state", as: String.self)) ?? .initial,
            policyID: try row.decode(column: "policy_id", as: String.self),
            policyVersionNumber: try row.decode(column: "policy_version_number", as: Int64.self),
            workflowName: try row.decode(column: "workflow_name", as: String.self),
            identityID: try row.decode(column: "identity_id", as: String.self),
            identityName: try row.decode(column: "identity_name", as: String.self),
            extractionEvent: try row.decode(column: "extraction_event", as: String.self),
            anyChanges: try row.decode(column: "any_changes", as: Bool.self),
            jobsStarted: try row.decode(column: "jobs_started", as: Int64.self),
            startedAt: try row.decode(column: "started_at", as: Int64?.self).map(Timestamp.init(nanosecondsSinceEpoch:)),
            completedAt: try row.decode(column: "completed_at", as: Int64?.self).map(Timestamp.init(nanosecondsSinceEpoch:)),
            message: try row.decode(column: "message", as: String.self)
        )
    }
}
