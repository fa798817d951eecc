import ActivityLog
import SCIMFilter
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct ActionEventStoreTests {
    static func events(tasks: Int, seed: UInt64 = 7) -> [ActionEvent] {
        var generator = DemoActivityGenerator(seed: seed)
        return (0..<tasks).flatMap { _ in generator.nextTask() }
    }

    @Test(arguments: TestDatabase.kinds)
    func upsertListAndGet(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let store = ActionEventStore(database: database)
            let signer = try await database.pageTokenSigner()
            let events = Self.events(tasks: 120)
            try await store.upsert(events)

            // Every event comes back once, newest first, across pages.
            var seen: [ActionEvent] = []
            var parameters = ListParameters(pageSize: "37")
            while true {
                let page = try await store.list(try ListRequest(ActionEvent.listSpec, parameters, signer: signer), signer: signer)
                seen += page.values
                guard page.hasMore else { break }
                parameters.pageToken = page.nextPageToken
            }
            #expect(seen.count == events.count)
            let started = seen.compactMap(\.startedAt)
            #expect(started == started.sorted(by: >))
            #expect(Set(seen.map { "\($0.policyTask)/\($0.actionName)" }).count == events.count)

            // A filter returns exactly the matching events.
            let errored = try await store.list(try ListRequest(ActionEvent.listSpec, ListParameters(filter: #"state eq "ERRORED" and action_name co "ad""#, pageSize: "1000"), signer: signer), signer: signer)
            let expected = events.filter { $0.state == .errored && $0.actionName.lowercased().contains("ad") }
            #expect(Set(errored.values.map(\.actionName)) == Set(expected.map(\.actionName)))
            #expect(errored.values.count == expected.count)

            // Get by task and name; an upsert updates in place.
            var first = events[0]
            #expect(try await store.get(policyTask: first.policyTask, actionName: first.actionName) == first)
            first.state = .errored
            first.message = "Okta answered 503; retry later."
            try await store.upsert([first])
            #expect(try await store.get(policyTask: first.policyTask, actionName: first.actionName) == first)
            await #expect(throws: APIError.self) { try await store.get(policyTask: first.policyTask, actionName: "missing") }
        }
    }

    @Test func demoGeneratorIsDeterministicAndRealistic() {
        let a = Self.events(tasks: 2_000, seed: 42)
        let b = Self.events(tasks: 2_000, seed: 42)
        #expect(a == b)
        #expect(Set(a.map(\.actionType)).count == ActionType.allCases.count - 1)
        let errorRate = Double(a.filter { $0.state == .errored }.count) / Double(a.count)
        #expect(errorRate > 0.03 && errorRate < 0.07)
        #expect(a.filter { $0.state == .errored }.allSatisfy { !$0.message.isEmpty })
    }
}
