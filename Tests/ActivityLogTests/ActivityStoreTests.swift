import ActivityLog
import Foundation
import NIOCore
import SCIMFilter
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

@Suite struct ActivityStoreTests {
    /// An export reads its rows in batches (one streamed statement on PostgreSQL, keyset queries on
    /// SQLite): the CSV is the same whatever the batch size, in the list's order, header first.
    @Test(arguments: TestDatabase.kinds)
    func exportsTheSameCSVWhateverTheBatchSize(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let store = ActivityStore<ActionEvent>(database: database)
            let events = ActivityFixtures.tasks(40).flatMap(\.actions)
            try await store.upsert(events)
            func export(batchSize: Int, filter: String?) async throws -> (String, Int) {
                let request = try ListRequest.batches(ActionEvent.listSpec, filter: filter, orderBy: "identity_name asc, started_at desc", batchSize: batchSize)
                var text = ""
                let count = try await store.exportCSV(request) { text += String(buffer: $0) }
                return (text, count)
            }
            let (whole, count) = try await export(batchSize: 10_000, filter: nil)
            #expect(count == events.count)
            #expect(whole.split(separator: "\r\n").count == events.count + 1)
            for size in [1, 7, events.count, events.count + 1] {
                let (batched, batchedCount) = try await export(batchSize: size, filter: nil)
                #expect(batched == whole, "batch size \(size)")
                #expect(batchedCount == events.count)
            }
            let (none, noneCount) = try await export(batchSize: 7, filter: #"action_name eq "no such action""#)
            #expect(noneCount == 0)
            #expect(none == String(whole.prefix { $0 != "\r\n" }) + "\r\n")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func upsertListAndFind(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let store = ActivityStore<ActionEvent>(database: database)
            let signer = try await database.pageTokenSigner()
            // More events than one upsert chunk of 1,000, so the chunks' writes must all land.
            let events = ActivityFixtures.tasks(300).flatMap(\.actions)
            #expect(events.count > 1_000)
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
            #expect(seen.map(\.startedAt) == seen.map(\.startedAt).sorted(by: >))
            #expect(Set(seen.map { "\($0.policyTask)/\($0.actionName)" }).count == events.count)

            // A filter returns exactly the matching events.
            let errored = try await store.list(try ListRequest(ActionEvent.listSpec, ListParameters(filter: #"state eq "ERRORED" and action_name co "ad""#, pageSize: "1000"), signer: signer), signer: signer)
            let expected = events.filter { $0.state == .errored && $0.actionName.lowercased().contains("ad") }
            #expect(Set(errored.values.map(\.actionName)) == Set(expected.map(\.actionName)))
            #expect(errored.values.count == expected.count)

            // Find by task and name; an upsert updates in place.
            var first = events[0]
            #expect(try await store.find(key: [first.policyTask, first.actionName]) == first)
            first.state = .errored
            first.message = "Okta answered 503; retry later."
            try await store.upsert([first])
            #expect(try await store.find(key: [first.policyTask, first.actionName]) == first)
            #expect(try await store.find(key: [first.policyTask, "missing"]) == nil)
        }
    }

    /// Every record type is stored and read back field for field, NULLs and JSON included.
    @Test(arguments: TestDatabase.kinds)
    func everyRecordTypeRoundTrips(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let tasks = ActivityFixtures.tasks(40)
            try await ActivityFixtures.write(tasks, to: database)
            try await Self.expectRoundTrip(tasks.map(\.task), database) { [$0.id] }
            try await Self.expectRoundTrip(tasks.flatMap(\.actions), database) { [$0.policyTask, $0.actionName] }
            try await Self.expectRoundTrip(tasks.flatMap(\.jobs), database) { [$0.jobID] }
            try await Self.expectRoundTrip(tasks.flatMap(\.events), database) { [$0.id] }
        }
    }

    static func expectRoundTrip<Record: ActivityRecord & Equatable>(
        _ records: [Record], _ database: Database, key: (Record) -> [String]
    ) async throws {
        #expect(!records.isEmpty)
        let store = ActivityStore<Record>(database: database)
        for record in records.prefix(25) {
            #expect(try await store.find(key: key(record)) == record)
        }
        let signer = try await database.pageTokenSigner()
        let page = try await store.list(try ListRequest(Record.listSpec, ListParameters(pageSize: "1000"), signer: signer), signer: signer)
        #expect(page.values.count == records.count)
    }

    /// Each database's export writes the cells the CLI writes (`csvCells` through `CSVWriter`): quoting, doubled quotes, the formula guard,
    /// NULLs, negative numbers and instants before 1970 included.
    @Test(arguments: TestDatabase.kinds)
    func exportCellsMatchTheCSVWriter(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            let store = ActivityStore<ActionEvent>(database: database)
            let awkward = [
                "=SUM(A1:A2)", "+1", "-1", "@cmd", "\tindented", "\rreturn", "a,b", "say \"hi\"", "two\nlines",
                "=a,b", "", "plain", "Zoë 東京", "'quoted already'",
            ]
            let instants: [Int64] = [0, 1, 999_999_999, -1, -1_000_000_001, 1_767_225_611_938_993_470, -9_000_000_000_000_000_007]
            var template = ActivityFixtures.tasks(1).flatMap(\.actions)[0]
            let events = awkward.enumerated().map { index, text in
                template.actionName = String(format: "%02d %@", index, text)
                template.identityName = text
                template.message = text
                template.workflowName = awkward[(index + 1) % awkward.count]
                template.policyVersionNumber = Int64(index) - 5
                template.jobsStarted = index % 2 == 0 ? -Int64(index) : Int64(index)
                template.anyChanges = index % 2 == 0
                template.startedAt = Timestamp(nanosecondsSinceEpoch: instants[index % instants.count])
                template.completedAt = index % 3 == 0 ? nil : Timestamp(nanosecondsSinceEpoch: instants[(index + 2) % instants.count])
                return template
            }
            try await store.upsert(events)

            let request = try ListRequest.batches(ActionEvent.listSpec, filter: nil, orderBy: "action_name asc", batchSize: 4)
            var exported = ByteBuffer()
            let count = try await store.exportCSV(request) { exported.writeImmutableBuffer($0) }
            var expected = ByteBuffer()
            CSVWriter.appendRow(ActionEvent.csvHeader, to: &expected)
            for event in events.sorted(by: { $0.actionName < $1.actionName }) {
                CSVWriter.appendRow(event.csvCells, to: &expected)
            }
            #expect(count == events.count)
            #expect(String(buffer: exported) == String(buffer: expected))
        }
    }
}
