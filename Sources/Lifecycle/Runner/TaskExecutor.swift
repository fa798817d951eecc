import ActivityLog
import Foundation
import Logging
import SCIMFilter
import WardenCore

/// Runs a claimed task's actions one after another, committing each outcome (the action event, its
/// integration jobs, its lifecycle events, the task and its run) before the next action starts.
///
/// Every call carries the idempotency key `<task id>:<action name>`, the same on every attempt,
/// so a call repeated after a crash or a retry can be recognised by its receiver.
struct TaskExecutor: TaskExecuting {
    let clock: LifecycleClock
    let settings: RunnerSettings
    let writer: StepWriter
    let policies: PolicyCache
    let identities: IdentityStore
    let tasks: ActivityStore<WorkflowTask>
    let connectors: ConnectorStore
    let http: HTTPPerformer
    let smtp: SMTPClient
    let scim: SCIMPerformer
    let reviews: AccessReviewPerformer
    /// The secret outputs (generated passwords) of the tasks this process runs, in memory only.
    let secrets: TaskSecrets
    let logger: Logger

    func prepare(_ runs: [TaskRun]) async -> [ClaimedTask] {
        do {
            let (found, identities) = try await identities.database.read { connection -> ([WorkflowTask], [String: IdentitySnapshot]) in
                let found = try await tasks.find(ids: runs.map(\.taskID), on: connection)
                return (found, try await self.identities.snapshots(ids: Set(found.map(\.identityID)), on: connection))
            }
            let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { (first: WorkflowTask, _: WorkflowTask) in first })
            return runs.map { run in
                let task = byID[run.taskID]
                return ClaimedTask(run: run, task: task, identity: task.flatMap { identities[$0.identityID] })
            }
        } catch {
            logger.warning("claimed tasks could not be read; each is read on its own", metadata: ["error": "\(error)"])
            return runs.map { ClaimedTask(run: $0, task: nil, identity: nil) }
        }
    }

    func execute(_ claimed: ClaimedTask, owner: String, stopping: @escaping @Sendable () -> Bool) async {
        let run = claimed.run
        do {
            var found = claimed.task
            if found == nil { found = try await tasks.find(key: [run.taskID]) }
            guard let task = found else {
                var ended = run
                ended.end()
                try await writer.commitRun(ended)
                return
            }
            var identity = claimed.identity
            if identity?.id != task.identityID { identity = try await identities.snapshot(id: task.identityID) }
            try await execute(task, run, identity: identity, stopping: stopping)
        } catch {
            logger.warning(
                "a workflow task could not be worked on; it is due again when its lease expires",
                metadata: ["task": "\(run.taskID)", "error": "\(error)"])
        }
    }

    private func execute(_ task: WorkflowTask, _ run: TaskRun, identity: IdentitySnapshot?, stopping: @Sendable () -> Bool) async throws {
        var task = task
        var run = run
        defer {
            if task.state == .completed || task.state == .errored { secrets.remove(taskID: task.id) }
        }
        guard [.initial, .pending, .running, .scheduled].contains(task.state) else {
            run.end()
            try await writer.commitRun(run)
            return
        }
        let policy: Policy
        do {
            policy = try await policies.policy(id: task.policyID)
        } catch let error as APIError where error.code == .notFound {
            return try await fail(&task, &run, "policy \(task.policyID) does not exist", policyName: "")
        }
        if policy.state == .paused {
            // The claim showed it RUNNING; it waits, PENDING, until its policy runs again.
            task.state = .pending
            run.release(dueAt: clock.now.adding(.seconds(5)))
            return try await writer.commit(TaskStep(task: task, run: run))
        }
        let version = try await policies.version(policyID: task.policyID, number: Int(task.policyVersionNumber))
        guard let identity else {
            return try await fail(&task, &run, "identity \(task.identityID) no longer exists", policyName: policy.name)
        }
        if run.steps == nil {
            let kind: IdentityChangeKind = task.identityStatus == .new ? .joined : task.identityStatus == .deleted ? .left : .changed
            let plans = (try? version.config.plan(for: identity, change: kind, changedAttributes: Set(run.changedAttributes))) ?? []
            guard let plan = plans.first(where: { $0.workflow == task.workflow }) else {
                return try await fail(
                    &task, &run, "workflow \"\(task.workflow)\" of version \(task.policyVersionNumber) of policy \(policy.name) is not triggered for identity \(identity.name) now",
                    policyName: policy.name)
            }
            run.steps = plan.actions.map { TaskRun.Step(name: $0.name, skipped: $0.skipped, continueOnError: $0.continueOnError) }
        }
        let steps = run.steps ?? []
        let retries = policy.noRetryForFailedWorkflows ? 0 : policy.retryCount
        var pipeline = StepPipeline(writer: writer, written: task)
        /// Records a step that moves past its action: sent on (the next action's call overlaps its
        /// commit), or, after the last action, committed with the task COMPLETED.
        func advance(_ record: (actionEvents: [ActionEvent], jobs: [JobEvent], events: [LifecycleEvent])) async throws -> Bool {
            run.advance()
            guard run.nextStep >= steps.count else {
                try await pipeline.send(TaskStep(task: task, run: run, actionEvents: record.actionEvents, jobs: record.jobs, events: record.events))
                return false
            }
            task.end(.completed, at: clock.now)
            run.end()
            try await pipeline.finish(TaskStep(task: task, run: run, actionEvents: record.actionEvents, jobs: record.jobs, events: record.events))
            return true
        }
        while run.nextStep < steps.count {
            if stopping() {
                run.release(dueAt: clock.now)
                return try await pipeline.finish(TaskStep(task: task, run: run))
            }
            let step = steps[run.nextStep]
            let now = clock.now
            if task.state != .running {
                task.state = .running
                task.scheduledAt = nil
                if task.startedAt == nil { task.startedAt = now }
                task.updatedAt = now
            }
            guard let action = version.config.action(named: step.name) else {
                try await pipeline.drain()
                return try await fail(&task, &run, "action \"\(step.name)\" is not in version \(task.policyVersionNumber) of policy \(policy.name)", policyName: policy.name)
            }
            var event = ActionEvent(
                policyTask: task.id, actionName: action.name, actionType: action.type, state: .completed, policyID: task.policyID,
                policyVersionNumber: task.policyVersionNumber, workflowName: task.workflow, identityID: task.identityID,
                identityName: task.identityName, extractionEvent: task.extractionEvent, anyChanges: false, jobsStarted: 0,
                startedAt: run.stepStartedAt ?? now, completedAt: now, message: "")
            if step.skipped {
                event.state = .skipped
                event.message = action.enabled ? "skipped: its condition is false for this identity" : "skipped: the action is disabled"
                if try await advance(([event], [], [])) { return }
                continue
            }
            let planned = PlannedAction(name: action.name, type: action.type, settings: action.settings, continueOnError: step.continueOnError, skipped: false)
            let rendered: RenderedAction
            do {
                let context = TemplateContext(attributes: identity.attributes, outputs: run.outputs, entitlement: run.entitlement)
                    .adding(secrets: secrets.outputs(of: task.id))
                rendered = try planned.render(context, now: now)
            } catch {
                if let lost = lostSecret(of: action, run: run, taskID: task.id) {
                    let outcome = try await finalFailure(&task, &run, &event, step: step, message: lost, policyName: policy.name, pipeline: &pipeline)
                    if outcome == .stop { return } else { continue }
                }
                if task.dryRun, !run.outputs.isEmpty {
                    // A dry run has no real answers to template from; what would be sent cannot be known.
                    event.message = "dry run: the settings need what an earlier action would have answered: \(error)"
                    if try await advance(([event], [], [])) { return }
                    continue
                }
                let outcome = try await finalFailure(
                    &task, &run, &event, step: step, message: "its settings could not be rendered: \(error)", policyName: policy.name, pipeline: &pipeline)
                if outcome == .stop { return } else { continue }
            }
            if case .pause(let until) = rendered {
                event.message = until > now ? "paused until \(until.rfc3339)" : "pause ended at \(until.rfc3339), which has passed"
                guard until > now else {
                    if try await advance(([event], [], [])) { return }
                    continue
                }
                run.advance()
                task.state = .scheduled
                task.scheduledAt = until
                task.messages.append("Paused by \(action.name) until \(until.rfc3339).")
                run.release(dueAt: until)
                return try await pipeline.finish(TaskStep(task: task, run: run, actionEvents: [event]))
            }
            if run.stepStartedAt == nil { run.stepStartedAt = now }
            event.startedAt = run.stepStartedAt ?? now
            let key = "\(task.id):\(action.name)"
            let performed = task.dryRun ? Self.dryRun(rendered, now: now) : await perform(rendered, identity: identity, idempotencyKey: key)
            let attempt = performed.redacting(secrets.values(of: task.id))
            let job = Self.job(for: attempt, task: task, action: action, run: run)
            event.jobsStarted = Int64(run.attempt + 1)
            event.completedAt = attempt.completedAt
            switch attempt.result {
            case .succeeded(let changed):
                event.anyChanges = changed
                event.message = attempt.message
                task.anyChanges = task.anyChanges || changed
                run.outputs[action.name] = attempt.output
                secrets.store(attempt.secretOutput, taskID: task.id, action: action.name)
                var lifecycle = Self.event(for: task, policyName: policy.name, action: action, jobID: job.jobID, at: attempt.completedAt, identity: identity)
                lifecycle.success = true
                lifecycle.message = attempt.message
                if try await advance(([event], [job], task.dryRun ? [] : [lifecycle])) { return }
            case .transientFailure where run.attempt < retries:
                run.attempt += 1
                let wait = max(settings.backoff(afterAttempt: run.attempt), attempt.retryAfter ?? .zero)
                let next = clock.now.adding(wait)
                event.state = .running
                event.completedAt = nil
                event.message = "attempt \(run.attempt) of \(retries + 1) failed: \(attempt.message); next attempt at \(next.rfc3339)"
                run.release(dueAt: next)
                return try await pipeline.finish(TaskStep(task: task, run: run, actionEvents: [event], jobs: [job]))
            case .transientFailure, .permanentFailure:
                let tried = run.attempt + 1
                let reason = attempt.result == .permanentFailure
                    ? attempt.message : "\(attempt.message) (gave up after \(tried) attempt\(tried == 1 ? "" : "s"))"
                let outcome = try await finalFailure(&task, &run, &event, step: step, message: reason, policyName: policy.name, job: job, pipeline: &pipeline)
                if outcome == .stop { return }
            }
        }
        task.end(.completed, at: clock.now)
        run.end()
        try await pipeline.finish(TaskStep(task: task, run: run))
    }

    private enum AfterFailure {
        case goOn, stop
    }

    /// Records an action that failed for good: ERRORED, with an ACTION_FAILED event; the task goes
    /// on when the step says so, else it ends ERRORED with a WORKFLOW_TASK_FAILED event.
    private func finalFailure(
        _ task: inout WorkflowTask, _ run: inout TaskRun, _ event: inout ActionEvent, step: TaskRun.Step, message: String,
        policyName: String, job: JobEvent? = nil, pipeline: inout StepPipeline
    ) async throws -> AfterFailure {
        let now = clock.now
        event.state = .errored
        event.message = message
        event.completedAt = now
        var failed = Self.lifecycleEvent(.actionFailed, task: task, policyName: policyName, jobID: job?.jobID ?? "", at: now)
        failed.message = "action \(event.actionName) failed: \(message)"
        var events = [failed]
        task.messages.append("Action \(event.actionName) failed: \(message)")
        if step.continueOnError {
            run.advance()
            if run.nextStep >= (run.steps?.count ?? 0) {
                task.end(.completed, at: now)
                run.end()
                try await pipeline.finish(TaskStep(task: task, run: run, actionEvents: [event], jobs: job.map { [$0] } ?? [], events: events))
                return .stop
            }
            try await pipeline.send(TaskStep(task: task, run: run, actionEvents: [event], jobs: job.map { [$0] } ?? [], events: events))
            return .goOn
        }
        task.end(.errored, at: now)
        var taskFailed = Self.lifecycleEvent(.workflowTaskFailed, task: task, policyName: policyName, jobID: "", at: now)
        taskFailed.message = "workflow \(task.workflow) failed at action \(event.actionName): \(message)"
        events.append(taskFailed)
        run.end()
        try await pipeline.finish(TaskStep(task: task, run: run, actionEvents: [event], jobs: job.map { [$0] } ?? [], events: events))
        return .stop
    }

    /// Ends the task ERRORED before any action ran, saying why.
    private func fail(_ task: inout WorkflowTask, _ run: inout TaskRun, _ message: String, policyName: String) async throws {
        let now = clock.now
        task.end(.errored, at: now)
        task.messages.append(message)
        var failed = Self.lifecycleEvent(.workflowTaskFailed, task: task, policyName: policyName, jobID: "", at: now)
        failed.message = message
        run.end()
        try await writer.commit(TaskStep(task: task, run: run, events: [failed]))
    }

    /// Why `action` cannot render when it uses a secret output (a password) of an earlier action
    /// that ran but whose secret this process no longer holds; nil otherwise.
    private func lostSecret(of action: PolicyAction, run: TaskRun, taskID: String) -> String? {
        let held = secrets.outputs(of: taskID)
        let lost = action.settings.secretReferences.filter { run.outputs[$0] != nil && held[$0] == nil }.sorted()
        guard let reset = lost.first else { return nil }
        return "the password RESET_PASSWORD action \(reset) set is gone: passwords are held in memory only and never stored, and Warden restarted "
            + "(or another runner took the task) after \(reset) ran. Retry action \(reset) to set and send a new one "
            + "(POST /api/private/lifecycle_management/action_events/\(taskID)/\(reset):retry)"
    }

    /// Sets the identity's attribute (WRITE_BACK_EMAIL) in the identity store.
    private func writeBack(attribute: String, value: String, identity: IdentitySnapshot) async -> ActionAttempt {
        let now = clock.now
        let request = RenderedAction.writeBack(attribute: attribute, value: value).wireValue
        do {
            let changed = try await identities.writeBack(identityID: identity.id, attribute: attribute, value: value, at: now)
            return ActionAttempt(
                result: .succeeded(changed: changed),
                message: changed ? "wrote \(value) to the identity's \(attribute)" : "the identity's \(attribute) is already \(value)",
                output: .object([attribute: .string(value)]), jobRequest: request, jobResult: .object(["changed": .bool(changed)]),
                startedAt: now, completedAt: clock.now, responseReceivedAt: clock.now)
        } catch let error as APIError where error.code == .notFound {
            return ActionAttempt(
                result: .permanentFailure, message: "identity \(identity.id) no longer exists", jobRequest: request, jobResult: .null,
                startedAt: now, completedAt: clock.now, responseReceivedAt: nil)
        } catch {
            return ActionAttempt(
                result: .transientFailure, message: "the identity could not be written: \(error)", jobRequest: request, jobResult: .null,
                startedAt: now, completedAt: clock.now, responseReceivedAt: nil)
        }
    }

    private func perform(_ rendered: RenderedAction, identity: IdentitySnapshot, idempotencyKey: String) async -> ActionAttempt {
        let now = clock.now
        func refused(_ message: String) -> ActionAttempt {
            ActionAttempt(result: .permanentFailure, message: message, jobRequest: rendered.wireValue, jobResult: .null, startedAt: now, completedAt: now, responseReceivedAt: nil)
        }
        let name: String
        switch rendered {
        case .http(let connector, _, _, _, _, _), .mail(let connector, _, _, _, _), .webhook(let connector, _), .scim(let connector, _),
             .accessReview(let connector, _, _, _): name = connector
        case .pause: return refused("a pause is not performed")
        case .writeBack(let attribute, let value): return await writeBack(attribute: attribute, value: value, identity: identity)
        }
        let connector: Connector
        do {
            guard let found = try await connectors.connector(named: name) else { return refused("connector \"\(name)\" does not exist") }
            connector = found
        } catch {
            return ActionAttempt(
                result: .transientFailure, message: "connector \"\(name)\" could not be read: \(error)", jobRequest: rendered.wireValue, jobResult: .null,
                startedAt: now, completedAt: clock.now, responseReceivedAt: nil)
        }
        switch rendered {
        case .http(_, let method, let path, let headers, let body, let successStatuses):
            guard connector.type == .rest else { return refused("connector \"\(name)\" is \(connector.type.rawValue), not REST") }
            return await http.perform(
                connector: connector, method: method, path: path, headers: headers, body: body, idempotencyKey: idempotencyKey, successStatuses: successStatuses)
        case .webhook(_, let body):
            guard connector.type == .webhook else { return refused("connector \"\(name)\" is \(connector.type.rawValue), not WEBHOOK") }
            return await http.post(webhook: connector, body: body, idempotencyKey: idempotencyKey)
        case .mail(_, let to, let cc, let subject, let body):
            guard connector.type == .smtp else { return refused("connector \"\(name)\" is \(connector.type.rawValue), not SMTP") }
            return await smtp.send(connector: connector, to: to, cc: cc, subject: subject, body: body, idempotencyKey: idempotencyKey)
        case .scim(_, let operation):
            guard connector.type == .scim else { return refused("connector \"\(name)\" is \(connector.type.rawValue), not SCIM") }
            return await scim.perform(operation, connector: connector, identity: identity, idempotencyKey: idempotencyKey)
        case .accessReview(_, let workflow, let reviewer, let certificationName):
            guard connector.type == .scim else { return refused("connector \"\(name)\" is \(connector.type.rawValue), not SCIM") }
            return await reviews.perform(
                connector: connector, reviewWorkflow: workflow, reviewer: reviewer, name: certificationName, identity: identity, idempotencyKey: idempotencyKey)
        case .pause:
            return refused("a pause is not performed")
        case .pause, .writeBack:
            return refused("only connector actions reach here")
        }
    }

    /// What a DRY_RUN policy records instead of calling out: the rendered settings, nothing sent.
    static func dryRun(_ rendered: RenderedAction, now: Timestamp) -> ActionAttempt {
        ActionAttempt(
            result: .succeeded(changed: false), message: "dry run: nothing was sent; the rendered settings are in the job's request",
            jobRequest: .object(["dry_run": .bool(true), "rendered": rendered.wireValue]), jobResult: .null, startedAt: now, completedAt: now,
            responseReceivedAt: nil)
    }

    static func job(for attempt: ActionAttempt, task: WorkflowTask, action: PolicyAction, run: TaskRun) -> JobEvent {
        let succeeded = if case .succeeded = attempt.result { true } else { false }
        let changed = if case .succeeded(let changed) = attempt.result { changed } else { false }
        return JobEvent(
            jobID: TimeOrderedID.make(), policyTask: task.id, actionName: action.name, actionType: action.type,
            state: succeeded ? .completed : .errored, policyID: task.policyID, workflowName: task.workflow, identityID: task.identityID,
            identityName: task.identityName, extractionEvent: task.extractionEvent, extractionEventType: task.identityStatus.rawValue,
            anyChanges: changed, eventsCreated: succeeded ? 1 : 0, eventSource: .policy, eventSourceID: task.policyID, createdAt: attempt.startedAt,
            startedAt: attempt.startedAt, completedAt: attempt.completedAt, receivedResponseAt: attempt.responseReceivedAt?.rfc3339 ?? "",
            jobRequest: attempt.jobRequest, jobResult: .object(["attempt": .number(Double(run.attempt + 1)), "result": attempt.jobResult]))
    }

    /// The lifecycle event an action's success records.
    static func event(for task: WorkflowTask, policyName: String, action: PolicyAction, jobID: String, at time: Timestamp, identity: IdentitySnapshot) -> LifecycleEvent {
        let type: LifecycleEventType = switch action.type {
        case .sendNotification: .sendNotification
        case .sendRestPayload: .sendRestPayload
        case .syncIdentities: .syncIdentity
        case .deprovisionIdentity: .disableIdentity
        case .deleteIdentity: .deleteIdentity
        case .manageRelationships:
            if case .scim(let scim) = action.settings, case .manageRelationships(let grant, _, _) = scim.operation, grant.isEmpty { .removeRelationship } else { .addRelationship }
        case .createEntitlement: .createEntitlement
        case .createAccessReview: .createAccessReview
        case .createEmail: .createEmail
        case .writeBackEmail: .writeBackEmail
        case .resetPassword: .resetPassword
        default: .customAction
        }
        var event = lifecycleEvent(type, task: task, policyName: policyName, jobID: jobID, at: time)
        event.entityName = identity.name
        return event
    }

    static func lifecycleEvent(_ type: LifecycleEventType, task: WorkflowTask, policyName: String, jobID: String, at time: Timestamp) -> LifecycleEvent {
        LifecycleEvent(
            id: TimeOrderedID.make(), timestamp: time, eventType: type, success: false, message: "", identityID: task.identityID,
            identityEntityType: task.entityType, identityEntityID: task.entityID, identityEntityName: task.identityName, dataSourceID: "",
            datasourceName: "", providerID: "", entityType: task.entityType, entityID: task.entityID, entityName: task.identityName,
            relationshipEntityType: "", relationshipEntityID: "", relationshipEntityName: "", relationshipAssignedToEntityType: "",
            relationshipAssignedToEntityID: "", relationshipAssignedToEntityName: "", extractionEvent: task.extractionEvent, policyTask: task.id,
            jobID: jobID, eventSource: .policy, eventSourceID: task.policyID, workflowName: task.workflow, policyName: policyName)
    }
}

extension WorkflowTask {
    /// The task has ended in `state` (COMPLETED or ERRORED) at `time`.
    mutating func end(_ state: TaskState, at time: Timestamp) {
        self.state = state
        completedAt = time
        updatedAt = time
    }
}
