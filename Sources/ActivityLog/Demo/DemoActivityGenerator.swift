import SCIMFilter
import WardenCore

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

    static let targets: [ActionType: (dataSource: String, provider: String, entityType: String)] = [
        .syncIdentities: ("Active Directory", "ActiveDirectory", "ActiveDirectoryUser"),
        .manageRelationships: ("Okta", "Okta", "OktaUser"),
        .createEmail: ("Exchange Online", "AzureAD", "ExchangeMailbox"),
        .writeBackEmail: ("Workday", "Workday", "WorkdayWorker"),
        .deprovisionIdentity: ("Active Directory", "ActiveDirectory", "ActiveDirectoryUser"),
        .resetPassword: ("Active Directory", "ActiveDirectory", "ActiveDirectoryUser"),
        .deleteIdentity: ("Okta", "Okta", "OktaUser"),
        .createAccessReview: ("Warden", "Warden", "Certification"),
        .sendRestPayload: ("ServiceNow", "ServiceNow", "ServiceNowRequest"),
        .accessPlan: ("Okta", "Okta", "OktaUser"),
        .createEntitlement: ("Okta", "Okta", "OktaGroup"),
        .customAction: ("ServiceNow", "ServiceNow", "ServiceNowRecord"),
    ]
    static let eventTypes: [ActionType: LifecycleEventType] = [
        .syncIdentities: .syncIdentity, .manageRelationships: .addRelationship, .createEmail: .createEmail,
        .writeBackEmail: .writeBackEmail, .deprovisionIdentity: .disableIdentity, .resetPassword: .resetPassword,
        .deleteIdentity: .deleteIdentity, .createAccessReview: .createAccessReview, .sendRestPayload: .customAction,
        .accessPlan: .accessRequestComplete, .createEntitlement: .createEntitlement, .customAction: .customAction,
    ]
    static let eventPhrases = Dictionary(uniqueKeysWithValues: LifecycleEventType.allCases.map {
        ($0, $0.rawValue.lowercased().split(separator: "_").joined(separator: " "))
    })
    static let groups = ["eng-all", "eng-prod-readers", "vpn-users", "github-org", "jira-users", "slack-workspace", "aws-dev", "finance-readers"]

    /// The next task with everything it produced: its action events in execution order, the jobs
    /// the actions dispatched and the changes those jobs made.
    public mutating func nextTask() -> DemoTask {
        taskNumber += 1
        let (policyID, source) = Self.policies[pick(Self.policies.count)]
        let workflow = Self.workflows[pick(Self.workflows.count)]
        let first = Self.firstNames[pick(Self.firstNames.count)]
        let last = Self.lastNames[pick(Self.lastNames.count)]
        let employee = 10_000 + pick(90_000)
        let identityID = "emp-\(employee)"
        let identityName = "\(first) \(last) (\(employee))"
        let taskID = uuid(at: clock)
        let extraction = "extraction-\(taskNumber / 200 + 1)"
        let versionNumber = Int64(1 + pick(4))
        clock += Int64(next() % 30_000_000_000)
        let created = clock
        var at = created + Int64(next() % 2_000_000_000)
        var task = WorkflowTask(
            id: taskID, policyID: policyID, policyVersionNumber: versionNumber, entityType: "\(source)Worker", entityID: "\(employee)",
            state: .completed, dryRun: false, workflow: workflow.name, scheduledAt: nil, extractionEvent: extraction, previousTaskID: "",
            identityID: identityID, identityName: identityName, startedAt: Timestamp(nanosecondsSinceEpoch: at), completedAt: nil,
            anyChanges: false, highPriority: workflow.name == "Leaver", priority: workflow.name == "Leaver" ? 10 : 0,
            manuallyTriggered: false, manuallyTriggeredBy: "", manuallyOverrideWorkflows: false,
            identityStatus: workflow.name == "Joiner" ? .new : workflow.name == "Leaver" ? .deleted : .changed,
            reason: "\(workflow.name.lowercased()) condition matched in \(source)", messages: [],
            createdAt: Timestamp(nanosecondsSinceEpoch: created), updatedAt: Timestamp(nanosecondsSinceEpoch: created),
            runtimeChangeLimitReached: false, disregardChangeLimit: false
        )
        if pick(200) == 0 {
            task.state = .blocked
            task.runtimeChangeLimitReached = true
            task.startedAt = nil
            task.messages = ["Blocked: policy safety limit of 50 changes per hour reached; unblock to run or abandon the task."]
            return DemoTask(task: task, actions: [], jobs: [], events: [])
        }
        var demo = DemoTask(task: task, actions: [], jobs: [], events: [])
        var failed = false
        for (name, type) in workflow.actions {
            let state: TaskState
            var message = ""
            if failed {
                state = .skipped
                message = "Skipped: an earlier action in this task errored."
            } else if pick(100) < 5 {
                state = .errored
                let choices = Self.errors[type] ?? ["The target system did not answer within 60 s."]
                message = choices[pick(choices.count)]
                failed = true
            } else {
                state = .completed
            }
            let duration = state == .skipped ? 0 : Int64(50_000_000 + next() % (type == .pause ? 9_000_000_000 : 4_000_000_000))
            let jobCount = state == .skipped || Self.targets[type] == nil ? 0 : type == .manageRelationships ? 1 + pick(2) : 1
            let anyChanges = state == .completed && pick(4) != 0
            for index in 0..<jobCount {
                let jobErrored = state == .errored && index == jobCount - 1
                demo.append(job(
                    for: type, action: name, task: task, index: index, at: at, duration: duration, errored: jobErrored,
                    anyChanges: anyChanges, message: message, policyName: source
                ))
            }
            demo.actions.append(ActionEvent(
                policyTask: taskID, actionName: name, actionType: type, state: state, policyID: policyID,
                policyVersionNumber: versionNumber, workflowName: workflow.name, identityID: identityID, identityName: identityName,
                extractionEvent: extraction, anyChanges: anyChanges, jobsStarted: Int64(jobCount),
                startedAt: Timestamp(nanosecondsSinceEpoch: at), completedAt: Timestamp(nanosecondsSinceEpoch: at + duration),
                message: message
            ))
            at += duration
        }
        demo.task.state = failed ? .errored : .completed
        demo.task.anyChanges = demo.actions.contains(where: \.anyChanges)
        demo.task.completedAt = Timestamp(nanosecondsSinceEpoch: at)
        demo.task.updatedAt = Timestamp(nanosecondsSinceEpoch: at)
        demo.task.messages = failed
            ? demo.actions.filter { $0.state == .errored }.map { "\($0.actionName): \($0.message)" }
            : ["Completed \(demo.actions.count) actions."]
        return demo
    }

    private mutating func job(
        for type: ActionType, action: String, task: WorkflowTask, index: Int, at: Int64, duration: Int64, errored: Bool,
        anyChanges: Bool, message: String, policyName: String
    ) -> (JobEvent, LifecycleEvent?) {
        let target = Self.targets[type] ?? ("Warden", "Warden", "Entity")
        let jobID = uuid(at: at)
        let start = at + Int64(index) * 10_000_000
        let end = start + max(duration - 20_000_000, 10_000_000)
        let group = Self.groups[pick(Self.groups.count)]
        let login = task.identityName.lowercased().split(separator: " ").prefix(2).joined(separator: ".")
        let entityName = type == .manageRelationships || type == .createEntitlement ? group : "\(login)@example.com"
        let request: JSONValue = [
            "data_source": .string(target.dataSource), "action_type": .string(type.rawValue),
            "input_entities": [["entity_type": .string(target.entityType), "entity_id": .string(task.entityID), "name": .string(entityName)]],
            "configuration": type == .manageRelationships ? ["add_to_groups": [.string(group)]] : [:],
        ]
        let result: JSONValue = [
            "any_changes": .bool(anyChanges && !errored),
            "errors": errored ? [.string(message)] : [],
            "output_entities": errored ? [] : [["entity_type": .string(target.entityType), "entity_id": .string(entityName)]],
        ]
        let job = JobEvent(
            jobID: jobID, policyTask: task.id, actionName: action, actionType: type, state: errored ? .errored : .completed,
            policyID: task.policyID, workflowName: task.workflow, identityID: task.identityID, identityName: task.identityName,
            extractionEvent: task.extractionEvent, extractionEventType: "SCHEDULED_EXTRACTION", anyChanges: anyChanges && !errored,
            eventsCreated: 1, eventSource: .policy, eventSourceID: task.policyID, createdAt: Timestamp(nanosecondsSinceEpoch: start),
            startedAt: Timestamp(nanosecondsSinceEpoch: start), completedAt: Timestamp(nanosecondsSinceEpoch: end),
            receivedResponseAt: Timestamp(nanosecondsSinceEpoch: end).rfc3339, jobRequest: request, jobResult: result
        )
        let eventType: LifecycleEventType = errored ? .actionFailed
            : type == .syncIdentities && task.identityStatus == .new ? .createIdentity : Self.eventTypes[type] ?? .customAction
        let relationship = eventType == .addRelationship || eventType == .removeRelationship
        let event = LifecycleEvent(
            id: uuid(at: end), timestamp: Timestamp(nanosecondsSinceEpoch: end), eventType: eventType, success: !errored,
            message: errored ? message : "\(Self.eventPhrases[eventType] ?? "change") for \(task.identityName) in \(target.dataSource)",
            identityID: task.identityID, identityEntityType: target.entityType, identityEntityID: task.entityID,
            identityEntityName: "\(login)@example.com", dataSourceID: "ds-\(target.provider.lowercased())",
            datasourceName: target.dataSource, providerID: "prov-\(target.provider.lowercased())", entityType: target.entityType,
            entityID: task.entityID, entityName: entityName, relationshipEntityType: relationship ? "\(target.provider)Group" : "",
            relationshipEntityID: relationship ? "grp-\(group)" : "", relationshipEntityName: relationship ? group : "",
            relationshipAssignedToEntityType: relationship ? target.entityType : "", relationshipAssignedToEntityID: relationship ? task.entityID : "",
            relationshipAssignedToEntityName: relationship ? "\(login)@example.com" : "", extractionEvent: task.extractionEvent,
            policyTask: task.id, jobID: jobID, eventSource: .policy, eventSourceID: task.policyID, workflowName: task.workflow,
            policyName: policyName
        )
        return (job, anyChanges || errored ? event : nil)
    }

    private mutating func pick(_ count: Int) -> Int {
        Int(next() % UInt64(count))
    }

    private mutating func next() -> UInt64 {
        random.next()
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A UUIDv7 for an instant: ids made later sort later, as a real runner's would.
    private mutating func uuid(at nanoseconds: Int64) -> String {
        let milliseconds = UInt64(max(0, nanoseconds / 1_000_000))
        let high = (milliseconds << 16) | 0x7000 | (next() & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | (next() >> 2)
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for index in 0..<36 where ![8, 13, 18, 23].contains(index) {
            let word = position < 16 ? high : low
            bytes[index] = Self.hexDigits[Int((word >> UInt64(60 - 4 * (position % 16))) & 0xF)]
            position += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One demo task and everything it produced.
public struct DemoTask: Sendable {
    public var task: WorkflowTask
    public var actions: [ActionEvent]
    public var jobs: [JobEvent]
    public var events: [LifecycleEvent]

    mutating func append(_ job: (JobEvent, LifecycleEvent?)) {
        jobs.append(job.0)
        if let event = job.1 { events.append(event) }
    }
}
