import WardenCore

/// The best wall time of `repetitions` runs of `body`, in seconds, after one warm-up run.
func bestTime(repetitions: Int, _ body: () async throws -> Void) async throws -> Double {
    try await body()
    var best = Double.infinity
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        try await body()
        best = min(best, (ContinuousClock.now - start).inSeconds)
    }
    return best
}
