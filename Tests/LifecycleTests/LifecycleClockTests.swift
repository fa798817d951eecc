import Lifecycle
import SCIMFilter
import Testing

@Suite struct LifecycleClockTests {
    @Test func aManualClockMovesOnlyWhenAdvanced() {
        let start = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)
        let (clock, advance) = LifecycleClock.manual(at: start)
        #expect(clock.now == start)
        advance(.seconds(90))
        #expect(clock.now == Timestamp(nanosecondsSinceEpoch: 1_700_000_090_000_000_000))
        advance(.milliseconds(5))
        #expect(clock.now.nanosecondsSinceEpoch - start.nanosecondsSinceEpoch == 90_005_000_000)
    }
}
