import WardenCore

/// The best wall time of `repetitions` runs of `body`, in seconds, after one warm-up run.
func bestTime(repetitions: Int, _ body: () async throws -> Void) async throws -> Double {
    try await withoutActuallyEscaping(body) { try await bestTimes(repetitions: repetitions, [$0])[0] }
}

/// The best wall time of each of `bodies`, in seconds, run in turn `repetitions` times after one
/// warm-up run each, so that a slow spell of the machine falls on all of them alike.
func bestTimes(repetitions: Int, _ bodies: [() async throws -> Void]) async throws -> [Double] {
    for body in bodies { try await body() }
    var best = [Double](repeating: .infinity, count: bodies.count)
    for _ in 0..<repetitions {
        for (index, body) in bodies.enumerated() {
            let start = ContinuousClock.now
            try await body()
            best[index] = min(best[index], (ContinuousClock.now - start).inSeconds)
        }
    }
    return best
}

/// The best time of `body` and the best time the CLI reports (`ceiling(runs)`), over `repetitions`
/// runs of each taken in five alternating rounds, so that a slow spell of the machine falls on both.
func bestBesideCeiling(
    repetitions: Int, _ body: () async throws -> Void, ceiling: (Int) throws -> Double
) async throws -> (warden: Double, ceiling: Double) {
    let rounds = 5
    let perRound = max(1, repetitions / rounds)
    var warden = Double.infinity
    var cli = Double.infinity
    for _ in 0..<rounds {
        warden = min(warden, try await bestTime(repetitions: perRound, body))
        cli = min(cli, try ceiling(perRound))
    }
    return (warden, cli)
}
