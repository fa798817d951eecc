import SCIMFilter

/// A deterministic, realistic activity log for newcomers and benchmarks: joiner, mover and leaver
/// workflows of a few policies, each task a run of typical actions with plausible durations, about
/// 5% of actions ERRORED with messages an operator could act on.
public struct DemoActivityGenerator: Sendable {
    private var random: SplitMix64
    private var clock: Int64
    private var taskNumber = 0

    /// - Parameters:
    ///   - seed: the same seed gives the same log.
    ///   - start: the time of the first task.
    public init(seed: UInt64, start: Timestamp = Timestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000)) {
        self.random = SplitMix64(seed: seed)
        self.clock = start.nanosecondsSinceEpoch
    }

    struct Workflow {
        var name: String
        var actions: [(String, ActionType)]
    }

    static let policies = [
        ("7d3f1c2a-4b5e-4f60-8a71-92b3c4d5e6f7", "Workday"), ("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "BambooHR"),
        ("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "Okta"),
    ]
    static let workflows = [
        Workflow(name: "Joiner", actions: [
            ("Create AD Account", .syncIdentities), ("Create Email", .createEmail), ("Add to Engineering Groups", .manageRelationships),
            ("Write Back Email to Workday", .writeBackEmail), ("Notify Manager", .sendNotification),
        ]),
        Workflow(name: "Mover", actions: [
            ("Sync AD Attributes", .syncIdentities), ("Update Group Memberships", .manageRelationships),
            ("Create Access Review", .createAccessReview), ("Post to ServiceNow", .sendRestPayload),
        ]),
        Workflow(name: "Leaver", actions: [
            ("Disable AD Account", .deprovisionIdentity), ("Remove All Groups", .manageRelationships), ("Reset Password", .resetPassword),
            ("Wait 30 Days", .pause), ("Delete Okta User", .deleteIdentity), ("Notify IT", .sendNotification),
        ]),
        Workflow(name: "Contractor Extension", actions: [
            ("Apply Access Plan", .accessPlan), ("Create Project Role", .createEntitlement), ("Run Custom Script", .customAction),
        ]),
    ]
    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Linus", "Radia", "Tim", "Sophie", "Yukihiro", "Anders", "Guido", "Bjarne", "Katherine", "John", "Hedy"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen", "Torvalds", "Perlman", "Berners-Lee", "Wilson", "Matsumoto", "Hejlsberg", "van Rossum", "Stroustrup", "Johnson", "McCarthy", "Lamarr"]
    static let errors: [ActionType: [String]] = [
        .syncIdentities: [
            "Active Directory rejected the update: attribute 'employeeID' must be unique (already used by CN=J. Doe). Fix the duplicate in Workday, then restart the task.",
            "LDAP bind to dc01.corp.example.com:636 failed: invalid credentials. Rotate the service account password in the AD integration settings.",
        ],
        .manageRelationships: [
            "Group 'eng-prod-admins' was not found in Okta (404). Check the group name in the workflow action or create the group.",
            "Okta API rate limit reached (429); 312 of 340 memberships applied. The task can be restarted safely: applied memberships are skipped.",
        ],
        .createEmail: ["Mailbox creation timed out after 120 s in Exchange Online. Check the tenant's service health, then restart the task."],
        .deprovisionIdentity: ["User not found in target system 'Okta': login 'jdoe@example.com' does not exist. Verify the identity mapping for this data source."],
        .sendRestPayload: ["ServiceNow answered 401 Unauthorized for POST /api/now/table/sc_request. Update the OAuth client secret in the REST action."],
        .sendNotification: ["SMTP server smtp.example.com refused the message: 550 mailbox unavailable for manager 'former.manager@example.com'."],
        .createAccessReview: ["Reviewer could not be resolved: the identity's manager field is empty in the source of truth."],
        .resetPassword: ["Password policy rejected the generated password: minimum age of 1 day not reached since the last change."],
        .deleteIdentity: ["Deletion blocked: the account owns 3 active OAuth applications. Transfer ownership, then restart the task."],
        .writeBackEmail: ["Workday rejected the write-back: field 'Work Email' is locked by an in-progress business process."],
        .accessPlan: ["Access plan 'Contractors - Default' has no version published. Publish the plan, then restart the task."],
        .createEntitlement: ["Role 'proj-atlas-readers' already exists with a different owner; choose another name or adopt the existing role."],
        .customAction: ["Custom script exited with status 2: 'jq: error: Cannot index string with \"id\"'. Check the script's input mapping."],
        .pause: ["Pause interrupted: the task was superseded by a newer task for the same identity."],
    ]

    /// The next task's action events, in execution order.
    public mutating func nextTask() -> [ActionEvent] {
        taskNumber += 1
        let (policyID, _) = Self.policies[Int(next() % UInt64(Self.policies.count))]
        let workflow = Self.workflows[Int(next() % UInt64(Self.workflows.count))]
        let first = Self.firstNames[Int(next() % UInt64(Self.firstNames.count))]
        let last = Self.lastNames[Int(next() % UInt64(Self.lastNames.count))]
        let employee = 10_000 + Int(next() % 90_000)
        let taskID = uuid()
        let extraction = "extraction-\(taskNumber / 200 + 1)"
        clock += Int64(next() % 30_000_000_000)
        var at = clock
        var events: [ActionEvent] = []
        var failed = false
        for (name, type) in workflow.actions {
            let state: TaskState
            var message = ""
            if failed {
                state = .skipped
                message = "Skipped: an earlier action in this task errored."
            } else if next() % 100 < 5 {
                state = .errored
                let choices = Self.errors[type] ?? ["The target system did not answer within 60 s."]
                message = choices[Int(next() % UInt64(choices.count))]
                failed = true
            } else {
                state = .completed
            }
            let duration = Int64(50_000_000 + next() % (type == .pause ? 9_000_000_000 : 4_000_000_000))
            let jobs = state == .skipped ? 0 : Int64(type == .pause || type == .sendNotification ? 0 : 1 + next() % 3)
            events.append(ActionEvent(
                policyTask: taskID, actionName: name, actionType: type, state: state, policyID: policyID,
                policyVersionNumber: Int64(1 + next() % 4), workflowName: workflow.name,
                identityID: "emp-\(employee)",
                identityName: "\(first) \(last) (\(employee))", extractionEvent: extraction,
                anyChanges: state == .completed && next() % 4 != 0, jobsStarted: jobs,
                startedAt: state == .skipped ? nil : Timestamp(nanosecondsSinceEpoch: at),
                completedAt: state == .skipped ? nil : Timestamp(nanosecondsSinceEpoch: at + duration),
                message: message
            ))
            at += duration
        }
        return events
    }

    private mutating func next() -> UInt64 {
        random.next()
    }

    private mutating func uuid() -> String {
        let high = next()
        let low = next()
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

/// A small, fast, seedable random source (SplitMix64).
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
