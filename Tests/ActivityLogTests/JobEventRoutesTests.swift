import ActivityLog
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct JobEventRoutesTests {
    static let path = "/api/private/lifecycle_management/job_events"

    @Test(arguments: TestDatabase.kinds)
    func detailsAddTheRequestAndResult(kind: DatabaseKind) async throws {
        try await ActivityFixtures.seeded(kind) { server, tasks in
            let filter = #"state eq "ERRORED" and action_type eq "MANAGE_RELATIONSHIPS""#
            let plain = try await server.request(.get, TestServer.uri(Self.path, [("filter", filter), ("page_size", "1000")]))
            #expect(plain.status == .ok, "\(plain.text)")
            let values = plain.json["values"] as? [[String: Any]] ?? []
            let expected = tasks.flatMap(\.jobs).filter { $0.state == .errored && $0.actionType == .manageRelationships }
            #expect(values.count == expected.count)
            #expect(values.allSatisfy { $0["job_request"] == nil && $0["job_result"] == nil })

            let detailed = try await server.request(.get, TestServer.uri(Self.path, [("details", "true"), ("page_size", "5")]))
            let page = try JSONDecoder().decode(PageOfJobs.self, from: Data(buffer: detailed.body))
            let jobs = Dictionary(uniqueKeysWithValues: tasks.flatMap(\.jobs).map { ($0.jobID, $0) })
            #expect(page.values.count == 5)
            #expect(page.values.allSatisfy { $0 == jobs[$0.jobID] && $0.jobRequest != nil })

            let job = try #require(expected.first ?? tasks.flatMap(\.jobs).first)
            let got = try await server.request(.get, "\(Self.path)/\(job.jobID)")
            #expect(try JSONDecoder().decode(ValueEnvelope<JobEvent>.self, from: Data(buffer: got.body)).value == job)
            try await server.request(.get, "\(Self.path)/nope").expectEnvelope(status: 404, code: "NotFound")

            // A job recorded before its payloads exist shows both as null on get.
            var waiting = job
            waiting.jobID = "job-waiting"
            waiting.jobRequest = nil
            waiting.jobResult = nil
            try await ActivityStore<JobEvent>(database: server.database).upsert([waiting])
            let shown = try await server.request(.get, "\(Self.path)/job-waiting").json["value"] as? [String: Any] ?? [:]
            #expect(shown["job_request"] is NSNull && shown["job_result"] is NSNull)
            let message = try await server.request(.get, "\(Self.path)?details=maybe").expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(message.contains("details"))
        }
    }

    struct PageOfJobs: Decodable {
        var values: [JobEvent]
    }
}
