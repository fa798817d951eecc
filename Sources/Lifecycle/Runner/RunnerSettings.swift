/// How the runner works: how many tasks at once, how long a lease lasts, how often it looks for
/// due work, and how retries back off.
public struct RunnerSettings: Sendable {
    /// Tasks run at once by one process.
    public var concurrency: Int
    /// How long a claim holds a task; the heartbeat renews it at a third of this.
    public var leaseDuration: Duration
    /// How often the runner looks for due tasks when it has room.
    public var pollInterval: Duration
    /// The wait before the second attempt of an action; each later one waits twice as long.
    public var backoffBase: Duration
    /// The longest wait between attempts.
    public var backoffCap: Duration

    public init(
        concurrency: Int = 64, leaseDuration: Duration = .seconds(30), pollInterval: Duration = .milliseconds(200),
        backoffBase: Duration = .seconds(2), backoffCap: Duration = .seconds(300)
    ) {
        self.concurrency = concurrency
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// The wait after `attempt` failed attempts (1 for the first): exponential, capped, with jitter
    /// between half and all of it so retries of many tasks spread out.
    public func backoff(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(backoffBase * (1 << exponent), backoffCap)
        return full * (0.5 + 0.5 * random)
    }
}
