import ActivityLog
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ActionEventRoutesTests {
    static let path = "/api/private/lifecycle_management/action_events"

    static func seeded(_ kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (TestServer, [ActionEvent]) async throws -> Void) async throws {
        try await ActivityFixtures.seeded(kind) { server, tasks in try await body(server, tasks.flatMap(\.actions)) }
    }

    @Test(arguments: TestDatabase.kinds)
    func listFiltersLikeTheSeedExample(kind: DatabaseKind) async throws {
        try await Self.seeded(kind) { server, events in
            let response = try await server.request(.get, TestServer.uri(Self.path, [("filter", #"state eq "ERRORED""#), ("page_size", "50")]))
            #expect(response.status == .ok, "\(response.text)")
            let values = response.json["values"] as? [[String: Any]] ?? []
            #expect(values.count == min(50, events.filter { $0.state == .errored }.count))
            #expect(values.allSatisfy { $0["state"] as? String == "ERRORED" && !($0["message"] as? String ?? "").isEmpty })
        }
    }

    @Test func getDecodesActionNamesWithSpaces() async throws {
        try await Self.seeded { server, events in
            let event = try #require(events.first { $0.actionName.contains(" ") })
            let encoded = event.actionName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            let response = try await server.request(.get, "\(Self.path)/\(event.policyTask)/\(encoded)")
            #expect(response.status == .ok, "\(response.text)")
            let value = response.json["value"] as? [String: Any] ?? [:]
            #expect(value["action_name"] as? String == event.actionName)
            #expect(value["policy_task"] as? String == event.policyTask)
            let missing = try await server.request(.get, "\(Self.path)/\(event.policyTask)/No%20Such%20Action")
            let message = missing.expectEnvelope(status: 404, code: "NotFound")
            #expect(message.contains("No Such Action"))
        }
    }
}
