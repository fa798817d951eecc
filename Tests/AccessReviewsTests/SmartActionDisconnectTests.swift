import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A smart-action apply whose client goes away while its statement waits is cancelled on the
/// database too, instead of running on for the client nobody waits for.
@Suite(.enabled(if: TestDatabase.postgresURL != nil, "needs \(TestDatabase.postgresVariable)"))
struct SmartActionDisconnectTests {
    @Test func anApplyWhoseClientGoesAwayIsCancelledOnTheDatabase() async throws {
        try await TestServer.run(.postgres) { server in
            let certification = try await ReviewFixtures.certification(server)
            _ = try await ReviewFixtures.load(server, certification, ReviewFixtures.rows)
            let definition = try #require(
                try await server.request(.post, SmartActionDefinitionRoutesTests.path, json: SmartActionDefinitionRoutesTests.rejectInactive).json["id"] as? String)
            let port = try #require(server.client.port)
            let database = server.database
            let waiting = database.statement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            func waitingOnTheLock() async throws -> Int64 {
                var reader = try #require(try await database.first(waiting)).reader()
                return try reader.integer()
            }
            // Hold the certifications table, so the apply's statement waits for it.
            let release = AsyncStream<Void>.makeStream()
            let locked = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await database.transaction { connection in
                    try await connection.execute(database.statement("LOCK TABLE awf_certifications IN ACCESS EXCLUSIVE MODE"))
                    locked.continuation.finish()
                    for await _ in release.stream {}
                }
            }
            for await _ in locked.stream {}
            let body = #"{"smart_action_definition_id": "\#(definition)", "dry_run": false}"#
            let socket = try #require(Self.send(
                "POST /api/preview/awf/certifications/\(certification)/results:apply_smart_action HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer \(server.adminKey)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
                port: port), "cannot connect to the test server on port \(port)")
            var seen = Int64(0)
            for _ in 0..<100 where seen == 0 {
                try await Task.sleep(for: .milliseconds(50))
                seen = try await waitingOnTheLock()
            }
            #expect(seen == 1, "the apply never waited for the lock")
            close(socket)
            var left = seen
            for _ in 0..<100 where left > 0 {
                try await Task.sleep(for: .milliseconds(50))
                left = try await waitingOnTheLock()
            }
            #expect(left == 0, "the apply's statement still waits after its client went away")
            release.continuation.finish()
            try await holder.value
            let batches = try await server.request(.get, "\(ReviewFixtures.base)/certifications/\(certification)/smart_action_batches")
            #expect((batches.json["values"] as? [Any])?.isEmpty == true, "\(batches.text)")
        }
    }

    /// Opens a TCP connection to the server and sends `request` on it; nil if it cannot connect.
    private static func send(_ request: String, port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            return nil
        }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return socket
    }
}
