import ActivityLog
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ActionEventRoutesTests {
    static let path = "/api/private/lifecycle_management/action_events"

    static func seeded(_ kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (TestServer, [ActionEvent]) async throws -> Void) async throws {
        try await TestServer.run(kind) { server in
            let events = ActionEventStoreTests.events(tasks: 60)
            try await ActionEventStore(database: server.database).upsert(events)
            try await body(server, events)
        }
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

    @Test func rolesAndBadInput() async throws {
        try await Self.seeded { server, _ in
            let reviewer = try await server.key(.reviewer)
            try await server.request(.get, Self.path, key: reviewer).expectEnvelope(status: 403, code: "PermissionDenied")
            let viewer = try await server.key(.viewer)
            #expect(try await server.request(.get, Self.path, key: viewer).status == .ok)

            let cases: [([(String, String)], [String])] = [
                ([("filter", #"state co "ERR""#)], ["state", "co", "eq"]),
                ([("filter", #"colour eq "red""#)], ["unknown field", "colour"]),
                ([("filter", #"state eq "ERRORED"#)], ["unterminated"]),
                ([("filter", #"(state eq "ERRORED""#)], ["unbalanced"]),
                ([("order_by", "message desc")], ["order_by", "message"]),
                ([("order_by", "seq desc")], ["order_by", "seq"]),
                ([("page_size", "1001")], ["page_size", "1000"]),
                ([("page_size", "0")], ["page_size"]),
                ([("page_token", "bogus")], ["page_token"]),
            ]
            for (parameters, words) in cases {
                let message = try await server.request(.get, TestServer.uri(Self.path, parameters)).expectEnvelope(status: 400, code: "InvalidArgument")
                for word in words {
                    #expect(message.localizedCaseInsensitiveContains(word), "\(parameters): \(message)")
                }
            }
        }
    }
}
