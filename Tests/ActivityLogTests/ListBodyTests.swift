import ActivityLog
import Foundation
import NIOCore
import SCIMFilter
import Testing
import WardenCore

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
            let written = String(buffer: page.jsonBody())
            let same = zip(written.utf8, expected.utf8).prefix { $0 == $1 }.count
            #expect(written == expected, "first difference at byte \(same): \(String(decoding: Array(written.utf8).dropFirst(max(0, same - 40)).prefix(80), as: UTF8.self)) vs \(String(decoding: Array(expected.utf8).dropFirst(max(0, same - 40)).prefix(80), as: UTF8.self))", sourceLocation: sourceLocation)
        }
        #expect(String(buffer: ListPage<Record>(values: [], nextPageToken: "", hasMore: false).jsonBody()) == #"{"has_more":false,"next_page_token":"","values":[]}"#)
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
        try Self.expectSameBody(jobs.map(\.withoutDetails))
        try Self.expectSameBody(jobs.map(\.withDetailsShown))
    }

    @Test func lifecycleEventsMatchTheEncoder() throws {
        var events = ActivityFixtures.tasks(30).flatMap(\.events)
        for (index, text) in Self.awkward.enumerated() {
            events[index].message = text
        }
        try Self.expectSameBody(events)
    }
}
