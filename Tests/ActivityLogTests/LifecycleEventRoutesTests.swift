import ActivityLog
import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

@Suite struct LifecycleEventRoutesTests {
    static let path = "/api/private/lifecycle_management/events"

    @Test(arguments: TestDatabase.kinds)
    func listFiltersLikeTheDocumentedExampleAndGets(kind: DatabaseKind) async throws {
        try await ActivityFixtures.seeded(kind) { server, tasks in
            let events = tasks.flatMap(\.events)
            let filter = #"event_type eq "ADD_RELATIONSHIP" and success eq true and relationship_entity_name co "ENG""#
            let listed = try await server.request(.get, TestServer.uri(Self.path, [("filter", filter), ("page_size", "1000")]))
            #expect(listed.status == .ok, "\(listed.text)")
            let ids = (listed.json["values"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let expected = events.filter { $0.eventType == .addRelationship && $0.success && $0.relationshipEntityName.lowercased().contains("eng") }
            #expect(!expected.isEmpty)
            #expect(ids == expected.sorted { $0.timestamp > $1.timestamp }.map(\.id))

            let event = events[events.count / 2]
            let got = try await server.request(.get, "\(Self.path)/\(event.id)")
            #expect(try JSONDecoder().decode(ValueEnvelope<LifecycleEvent>.self, from: Data(buffer: got.body)).value == event)
            try await server.request(.get, "\(Self.path)/nope").expectEnvelope(status: 404, code: "NotFound")
        }
    }
}
