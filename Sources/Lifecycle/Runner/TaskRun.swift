import SCIMFilter
import WardenCore

/// What the runner keeps beside a workflow task, keyed by the task's id: the actions it plans to
/// run, how far it got, the outputs later actions template from, when it is next due and which
/// runner holds it. The task's state stays in the activity log's row.
struct TaskRun: Sendable, Equatable {
    /// One action of the plan, by name, and whether its condition left it out.
    struct Step: Codable, Sendable, Equatable {
        var name: String
        var skipped: Bool
        /// Whether the workflow goes on when this action fails.
        var continueOnError: Bool

        enum CodingKeys: String, CodingKey {
            case name, skipped
            case continueOnError = "continue_on_error"
        }
    }

    var taskID: String
    /// When a runner should next pick the task up; `TaskRun.never` once it has ended.
    var dueAt: Timestamp
    /// The runner holding the task, or empty.
    var leaseOwner: String
    var leaseExpiresAt: Timestamp
    /// The actions to run, in order; nil until the runner first plans the task (a task it did not
    /// create, such as the restart of an imported one).
    var steps: [Step]?
    /// The index in `steps` of the next action to run.
    var nextStep: Int
    /// Attempts of the next action so far.
    var attempt: Int
    /// When the next action's first attempt started; nil before it has.
    var stepStartedAt: Timestamp?
    /// Each completed action's output, by action name.
    var outputs: [String: JSONValue]
    /// For a CHANGED identity, the attributes that changed.
    var changedAttributes: [String]
    /// For a remediation's task, the entitlement it removes (`{entitlement.*}` in templates).
    var entitlement: JSONValue? = nil

    /// The due time of a task that has ended: later than any time a runner asks about.
    static let never = Timestamp(nanosecondsSinceEpoch: .max)

    static let table = "lcm_task_runs"
    static let columns = ["task_id", "due_at", "lease_owner", "lease_expires_at", "steps", "next_step", "attempt", "step_started_at", "outputs", "changed_attributes", "entitlement"]
    static let upsert = Upsert(table: table, columns: columns, key: ["task_id"], insertsSmallBatches: true)

    var databaseValues: [DatabaseValue] {
        [
            .text(taskID), dueAt.databaseValue, .text(leaseOwner), leaseExpiresAt.databaseValue, .text(stepsJSON.jsonText),
            .integer(Int64(nextStep)), .integer(Int64(attempt)), stepStartedAt.databaseValue, .text(JSONValue.object(outputs).jsonText),
            .text(JSONValue.array(changedAttributes.map(JSONValue.string)).jsonText), entitlement.map { .text($0.jsonText) } ?? .null,
        ]
    }

    /// The plan as JSON, written by the same fast writer as the outputs (no `JSONEncoder` per step).
    private var stepsJSON: JSONValue {
        guard let steps else { return .null }
        return .array(steps.map { step in
            .object(["name": .string(step.name), "skipped": .bool(step.skipped), "continue_on_error": .bool(step.continueOnError)])
        })
    }

    static func decode(_ row: DatabaseRow) throws -> TaskRun {
        var reader = row.reader()
        return TaskRun(
            taskID: try reader.text(), dueAt: try reader.timestamp(), leaseOwner: try reader.text(), leaseExpiresAt: try reader.timestamp(),
            steps: try WireJSON.value([Step]?.self, from: try reader.text()), nextStep: Int(try reader.integer()), attempt: Int(try reader.integer()), stepStartedAt: try reader.optionalTimestamp(),
            outputs: try WireJSON.value([String: JSONValue].self, from: try reader.text()),
            changedAttributes: try WireJSON.value([String].self, from: try reader.text()),
            entitlement: try reader.optionalText().map { try WireJSON.value(JSONValue.self, from: $0) })
    }
}

extension TaskRun {
    static let migrations = [
        Migration("lifecycle.runner.0001_task_runs", [
            """
            CREATE TABLE lcm_task_runs (
                task_id TEXT NOT NULL PRIMARY KEY,
                due_at {bigint} NOT NULL,
                lease_owner TEXT NOT NULL,
                lease_expires_at {bigint} NOT NULL,
                steps TEXT NOT NULL,
                next_step {bigint} NOT NULL,
                attempt {bigint} NOT NULL,
                step_started_at {bigint},
                outputs TEXT NOT NULL,
                changed_attributes TEXT NOT NULL
            )
            """,
            "CREATE INDEX lcm_task_runs_due ON lcm_task_runs (due_at)",
            "CREATE INDEX lcm_task_runs_lease ON lcm_task_runs (lease_owner)",
        ]),
        Migration("lifecycle.remediation.0001_task_run_entitlement", [
            "ALTER TABLE lcm_task_runs ADD COLUMN entitlement TEXT",
        ]),
    ]
}

extension TaskRun {
    /// On to the next action, whose first attempt has not started.
    mutating func advance() {
        nextStep += 1
        attempt = 0
        stepStartedAt = nil
    }

    /// Gives the task back, due at `dueAt` for any runner.
    mutating func release(dueAt: Timestamp) {
        self.dueAt = dueAt
        leaseOwner = ""
        leaseExpiresAt = Timestamp(nanosecondsSinceEpoch: 0)
    }

    /// The task has ended: never due again.
    mutating func end() {
        release(dueAt: TaskRun.never)
    }
}
