import ActivityLog
import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle
import WardenCore

/// Runs claimed tasks' actions from where they stand until they end, must wait (a retry, a PAUSE),
/// or `stopping` says the runner is shutting down.
protocol TaskExecuting: Sendable {
    /// Reads what a batch of claimed tasks needs (their rows, their identities) in a few statements.
    func prepare(_ runs: [TaskRun]) async -> [ClaimedTask]
    func execute(_ claimed: ClaimedTask, owner: String, stopping: @escaping @Sendable () -> Bool) async
}

/// A claimed task with its row and its identity as they were when it was claimed.
struct ClaimedTask: Sendable {
    var run: TaskRun
    /// Nil when the task is gone (or could not be read).
    var task: WorkflowTask?
    var identity: IdentitySnapshot?
}

/// The lifecycle runner: a service that claims due workflow tasks from the database, runs up to
/// `settings.concurrency` of them at once, and renews their leases while it holds them.
///
/// On shutdown it stops claiming, lets each task finish the step it is in, and gives back what it
/// holds, due at once for any runner. A runner that dies holds its tasks until their leases expire.
public struct LifecycleRunner: Service {
    /// Who this runner is in the lease columns: host, process and a random part.
    public let owner: String
    let settings: RunnerSettings
    let store: TaskRunStore
    let metrics: QueueMetrics
    let executor: any TaskExecuting
    /// Starts the tasks of remediations queued by signed-off rejections; nil for none.
    let remediations: RemediationStarter?
    let logger: Logger
    /// Closes what the executor holds open (its HTTP client), once the runner has stopped.
    let onStop: @Sendable () async -> Void

    init(
        database: Database, clock: LifecycleClock, settings: RunnerSettings, executor: any TaskExecuting,
        remediations: RemediationStarter? = nil, logger: Logger, onStop: @escaping @Sendable () async -> Void = {}
    ) {
        owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
        self.settings = settings
        store = TaskRunStore(database: database, clock: clock)
        metrics = QueueMetrics(database: database, clock: clock)
        self.executor = executor
        self.remediations = remediations
        self.logger = logger
        self.onStop = onStop
    }

    private enum Event: Sendable {
        case finished(String)
        case tick
    }

    public func run() async throws {
        let stopping = NIOLockedValueBox(false)
        let inFlight = NIOLockedValueBox(Set<String>())
        let isStopping: @Sendable () -> Bool = { stopping.withLockedValue { $0 } }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Event.self) { group in
                var tickPending = false
                var lastRenewal = ContinuousClock.now
                var lastMetrics = ContinuousClock.now - Self.metricsInterval
                /// Claims only when half the slots are free (or none are busy), so a backlog costs one
                /// claim (a write transaction) per batch of tasks, not one per task.
                let claimThreshold = max(1, settings.concurrency / 2)
                while true {
                    let running = inFlight.withLockedValue { $0.count }
                    if isStopping() {
                        if running == 0 { break }
                    } else if settings.concurrency - running >= claimThreshold || running == 0 {
                        // A task this runner still works on (its lease ran out while a step was slow) is
                        // not started twice; the claim has renewed its lease.
                        let claimed = await claim(limit: settings.concurrency - running).filter { run in
                            inFlight.withLockedValue { $0.insert(run.taskID).inserted }
                        }
                        for task in await executor.prepare(claimed) {
                            group.addTask { [executor, owner] in
                                await executor.execute(task, owner: owner, stopping: isStopping)
                                return .finished(task.run.taskID)
                            }
                        }
                    }
                    if !tickPending {
                        tickPending = true
                        group.addTask { [settings] in
                            try? await Task.sleep(for: settings.pollInterval)
                            return .tick
                        }
                    }
                    guard let event = await group.next() else { break }
                    switch event {
                    case .finished(let id):
                        inFlight.withLockedValue { _ = $0.remove(id) }
                    case .tick:
                        tickPending = false
                        if !isStopping() { await startRemediations() }
                        if ContinuousClock.now - lastRenewal >= settings.leaseDuration / 3 {
                            lastRenewal = ContinuousClock.now
                            await renew(Array(inFlight.withLockedValue { $0 }))
                        }
                        if ContinuousClock.now - lastMetrics >= Self.metricsInterval {
                            lastMetrics = ContinuousClock.now
                            await updateMetrics(runningHere: inFlight.withLockedValue { $0.count })
                        }
                    }
                }
                group.cancelAll()
            }
            do {
                try await store.releaseAll(owner: owner)
            } catch {
                logger.error("the runner could not give back its tasks; they are due again when their leases expire", metadata: ["error": "\(error)"])
            }
            await onStop()
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
        }
    }

    /// How often the queue's gauges are read.
    static let metricsInterval: Duration = .seconds(10)

    private func updateMetrics(runningHere: Int) async {
        do {
            try await metrics.update(runningHere: runningHere)
        } catch {
            logger.debug("the runner could not read its queue's gauges", metadata: ["error": "\(error)"])
        }
    }

    private func startRemediations() async {
        do {
            try await remediations?.startPending()
        } catch {
            logger.warning("the runner could not start remediations; it tries again shortly", metadata: ["error": "\(error)"])
        }
    }

    private func claim(limit: Int) async -> [TaskRun] {
        do {
            return try await store.claim(owner: owner, limit: limit, leaseDuration: settings.leaseDuration)
        } catch {
            logger.warning("the runner could not claim tasks; it tries again shortly", metadata: ["error": "\(error)"])
            return []
        }
    }

    private func renew(_ taskIDs: [String]) async {
        do {
            try await store.renew(owner: owner, taskIDs: taskIDs, leaseDuration: settings.leaseDuration)
        } catch {
            logger.warning("the runner could not renew its leases", metadata: ["error": "\(error)"])
        }
    }
}
