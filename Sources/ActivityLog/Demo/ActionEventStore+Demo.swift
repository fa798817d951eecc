import WardenCore

extension ActionEventStore {
    /// Writes a demo activity log of about `events` action events (whole tasks) from `seed`, in
    /// batches; `progress` is told the running total after each batch. Returns how many were written.
    @discardableResult
    public func seedDemo(events: Int, seed: UInt64, progress: (Int) -> Void = { _ in }) async throws -> Int {
        var generator = DemoActivityGenerator(seed: seed)
        var written = 0
        while written < events {
            var batch: [ActionEvent] = []
            batch.reserveCapacity(5_000)
            while batch.count < 5_000, written + batch.count < events {
                batch += generator.nextTask()
            }
            try await upsert(batch)
            written += batch.count
            progress(written)
        }
        return written
    }

    /// Seeds the demo log only when there are no action events yet; returns how many were written.
    public func seedDemoIfEmpty(events: Int) async throws -> Int {
        let probe = database.statement("SELECT seq FROM lcm_action_events LIMIT 1")
        guard try await database.read({ try await $0.first(probe) }) == nil else { return 0 }
        return try await seedDemo(events: events, seed: 1)
    }
}
