import NIOConcurrencyHelpers
import SCIMFilter
import WardenCore

/// The time the lifecycle engine reads: backoff, PAUSE and lease expiry ask this clock, so a test
/// can move time instead of sleeping.
public struct LifecycleClock: Sendable {
    private let read: @Sendable () -> Timestamp

    public init(_ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
    }

    /// The wall clock.
    public static let system = LifecycleClock { Timestamp.now }

    /// The current time.
    public var now: Timestamp { read() }

    /// A clock that stands still until a test moves it.
    public static func manual(at start: Timestamp) -> (clock: LifecycleClock, advance: @Sendable (Duration) -> Void) {
        let time = NIOLockedValueBox(start)
        let clock = LifecycleClock { time.withLockedValue { $0 } }
        return (clock, { duration in
            time.withLockedValue { $0 = $0.adding(duration) }
        })
    }
}

extension Timestamp {
    /// This instant moved by `duration`.
    public func adding(_ duration: Duration) -> Timestamp {
        let (seconds, attoseconds) = duration.components
        return Timestamp(nanosecondsSinceEpoch: nanosecondsSinceEpoch + seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
