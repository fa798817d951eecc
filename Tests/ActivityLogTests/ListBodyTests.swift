import ActivityLog
import Foundation
import NIOCore
import SCIMFilter
import Testing
import WardenCore
import WardenServer
import WardenTestSupport

/// List bodies are written without `JSONEncoder`; `JSONEncoder` is the oracle they must match byte
/// for byte.
@Suite struct ListBodyTests {
    static let awkward = [
        "", "plain", "say \"hi\"", "back\\slash", "a/b", "two\nlines", "tab\there", "cr\rhere", "bell\u{07}", "back\u{08}space",
        "form\u{0C}feed", "nul\u{00}byte", "unit\u{1F}sep", "del\u{7F}", "Zoë 東京 🚀", "line\u{2028}separator", "=SUM(A1)",
    ]

    static func expectSameBody<Record: ActivityRecord>(_ records: [Record], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!records.isEmpty, sourceLocation: sourceLocation)
        for hasMore in [true, false] {
            let page = ListPage(values: records, nextPageToken: hasMore ? "abc/+=_-" : "", hasMore: hasMore)
            let expected = String(decoding: try WireJSON.encoder().encode(page), as: UTF8.self)
            let written = String(buffer: Record.jsonWriter.page(records.map(\.databaseValues), nextPageToken: page.nextPageToken, hasMore: hasMore))
            let same = zip(written.utf8, expected.utf8).prefix { $0 == $1 }.count
            #expect(written == expected, "first difference at byte \(same): \(String(decoding: Array(written.utf8).dropFirst(max(0, same - 40)).prefix(80), as: UTF8.self)) vs \(String(decoding: Array(expected.utf8).dropFirst(max(0, same - 40)).prefix(80), as: UTF8.self))", sourceLocation: sourceLocation)
        }
        #expect(String(buffer: Record.jsonWriter.page([], nextPageToken: "", hasMore: false)) == #"{"has_more":false,"next_page_token":"","values":[]}"#)
    }

    @Test func actionEventsMatchTheEncoder() throws {
        var events = ActivityFixtures.tasks(30).flatMap(\.actions)
        for (index, text) in Self.awkward.enumerated() {
            events[index].message = text
            events[index].identityName = text
            events[index].jobsStarted = -Int64(index)
            events[index].completedAt = index % 2 == 0 ? nil : Timestamp(nanosecondsSinceEpoch: -1_000_000_001)
        }
        try Self.expectSameBody(events)
    }

    @Test func workflowTasksMatchTheEncoder() throws {
        var tasks = ActivityFixtures.tasks(30).map(\.task)
        for (index, text) in Self.awkward.enumerated() {
            tasks[index].reason = text
            tasks[index].messages = index % 3 == 0 ? [] : [text, "second \(text)"]
            tasks[index].startedAt = index % 2 == 0 ? nil : tasks[index].startedAt
        }
        try Self.expectSameBody(tasks)
    }

    @Test func jobsMatchTheEncoderWithAndWithoutDetails() throws {
        var jobs = ActivityFixtures.tasks(30).flatMap(\.jobs)
        for (index, text) in Self.awkward.enumerated() {
            jobs[index].identityName = text
            jobs[index].jobRequest = index % 4 == 0 ? nil : .object(["note": .string(text), "count": .number(Double(index)), "ratio": .number(0.25), "list": .array([.bool(true), .null])])
            jobs[index].jobResult = index % 5 == 0 ? nil : .string(text)
        }
        try Self.expectSameBody(jobs)
        try Self.expectSameBody(jobs.map(Self.withoutDetails))
        try Self.expectSameBody(jobs.map(\.withDetailsShown))
    }

    static func withoutDetails(_ job: JobEvent) -> JobEvent {
        var job = job
        job.jobRequest = nil
        job.jobResult = nil
        return job
    }

    /// Pages written from each database's rows, every record type, equal the encoder's page of the
    /// records decoded from the same rows; a job page without details leaves both payloads out.
    @Test(arguments: TestDatabase.kinds)
    func storedPagesMatchTheEncoder(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: WardenServer.migrations) { database in
            var tasks = ActivityFixtures.tasks(12)
            // PostgreSQL's text cannot hold NUL.
            for (index, text) in Self.awkward.filter({ !$0.contains("\u{00}") }).enumerated() {
                let task = index % tasks.count
                tasks[task].task.reason = text
                tasks[task].actions[tasks[task].actions.count - 1].message = text
                tasks[task].events[tasks[task].events.count - 1].message = text
                guard !tasks[task].jobs.isEmpty else { continue }
                tasks[task].jobs[0].identityName = text
                tasks[task].jobs[0].jobRequest = .object(["note": .string(text), "count": .number(Double(index))])
            }
            #expect(tasks.contains { !$0.jobs.isEmpty })
            try await ActivityFixtures.write(tasks, to: database)
            let signer = try await database.pageTokenSigner()
            try await Self.expectStoredPages(ActionEvent.self, database, signer)
            try await Self.expectStoredPages(WorkflowTask.self, database, signer)
            try await Self.expectStoredPages(JobEvent.self, database, signer)
            try await Self.expectStoredPages(LifecycleEvent.self, database, signer)
            try await Self.expectStoredPages(JobEvent.self, database, signer, hiding: JobEvent.detailColumns) { Self.withoutDetails($0) }
        }
    }

    static func expectStoredPages<Record: ActivityRecord>(
        _ type: Record.Type, _ database: Database, _ signer: PageTokenSigner, hiding: Set<String> = [],
        shown: (Record) -> Record = { $0 }, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let store = ActivityStore<Record>(database: database)
        var parameters = ListParameters(pageSize: "7")
        var pages = 0
        while true {
            let request = try ListRequest(Record.listSpec, parameters, signer: signer)
            var page = try await store.list(request, signer: signer)
            page.values = page.values.map(shown)
            let expected = String(decoding: try WireJSON.encoder().encode(page), as: UTF8.self)
            let written = String(buffer: try await store.listBody(request, signer: signer, hiding: hiding))
            #expect(written == expected, sourceLocation: sourceLocation)
            pages += 1
            guard page.hasMore else { break }
            parameters.pageToken = page.nextPageToken
        }
        #expect(pages > 1, sourceLocation: sourceLocation)
    }

    @Test func lifecycleEventsMatchTheEncoder() throws {
        var events = ActivityFixtures.tasks(30).flatMap(\.events)
        for (index, text) in Self.awkward.enumerated() {
            events[index].message = text
        }
        try Self.expectSameBody(events)
    }
}
