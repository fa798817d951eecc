import AsyncHTTPClient
import Foundation
import Lifecycle
import NIOCore
import SCIMFilter
import Testing

/// Serialized: each test starts a Python peer, and the timing checks need the machine's attention.
@Suite(.serialized) struct HTTPPerformerTests {
    static func rest(_ port: Int, base: String = "/api", secretHeaders: [String: String] = [:], timeout: Int = 5) -> Connector {
        Connector(
            id: "c1", name: "hr-api", type: .rest, baseURL: "http://127.0.0.1:\(port)\(base)", headers: ["X-Tenant": "acme"],
            secretHeaders: secretHeaders, timeoutSeconds: timeout)
    }

    /// Runs `body` with the real receiver (`scripts/test-receiver.py`) and a performer.
    static func withReceiver(_ body: (TestPeer, HTTPPerformer) async throws -> Void) async throws {
        let performer = HTTPPerformer()
        do {
            try await TestPeer.run("test-receiver.py") { receiver in try await body(receiver, performer) }
        } catch {
            try await performer.shutdown()
            throw error
        }
        try await performer.shutdown()
    }

    /// GET or POST to the receiver's own endpoints.
    static func receiver(_ peer: TestPeer, _ path: String, post: String? = nil) async throws -> Any {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)\(path)")
        if let post {
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: post))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONSerialization.jsonObject(with: Data(buffer: body))
    }

    @Test func aRepeatedIdempotencyKeyIsAppliedOnceAndReportedUnchanged() async throws {
        try await Self.withReceiver { receiver, performer in
            let connector = Self.rest(receiver.port)
            let body: JSONValue = .object(["login": .string("kim")])
            let first = await performer.perform(
                connector: connector, method: "post", path: "/users", headers: [], body: body, idempotencyKey: "task-1/create", successStatuses: nil)
            #expect(first.result == .succeeded(changed: true))
            #expect(first.message == "POST http://127.0.0.1:\(receiver.port)/api/users → 201 Created")
            #expect(first.output.memberValue("id") == .number(1))
            #expect(first.responseReceivedAt != nil)

            let again = await performer.perform(
                connector: connector, method: "POST", path: "/users", headers: [], body: body, idempotencyKey: "task-1/create", successStatuses: nil)
            #expect(again.result == .succeeded(changed: false))
            #expect(again.output.memberValue("id") == .number(1))

            let applied = try await Self.receiver(receiver, "/_applied") as? [String: Any] ?? [:]
            #expect(Array(applied.keys) == ["task-1/create"])
            let requests = try await Self.receiver(receiver, "/_requests") as? [[String: Any]] ?? []
            #expect(requests.count == 2)
            for request in requests {
                let headers = request["headers"] as? [String: String] ?? [:]
                #expect(headers["Idempotency-Key"] == "task-1/create")
                #expect(headers["Content-Type"] == "application/json")
                #expect(headers["X-Tenant"] == "acme")
                #expect(request["path"] as? String == "/api/users")
            }
        }
    }

    @Test func a503IsTransientQuotesTheBodyAndReportsRetryAfter() async throws {
        try await Self.withReceiver { receiver, performer in
            _ = try await Self.receiver(receiver, "/_control", post: #"{"fail_next": 1, "status": 503, "retry_after": 7}"#)
            let connector = Self.rest(receiver.port)
            let failed = await performer.perform(
                connector: connector, method: "PUT", path: "users/kim", headers: [], body: ["active": false], idempotencyKey: "k2",
                successStatuses: nil)
            #expect(failed.result == .transientFailure)
            #expect(failed.message.hasPrefix("PUT http://127.0.0.1:\(receiver.port)/api/users/kim → 503 Service Unavailable: {\"error\""))
            #expect(failed.retryAfter == .seconds(7))
            #expect(failed.jobResult.memberValue("status") == .number(503))

            let retried = await performer.perform(
                connector: connector, method: "PUT", path: "users/kim", headers: [], body: ["active": false], idempotencyKey: "k2",
                successStatuses: nil)
            #expect(retried.result == .succeeded(changed: true))
            let applied = try await Self.receiver(receiver, "/_applied") as? [String: Any] ?? [:]
            #expect(applied.count == 1)
        }
    }

    @Test(arguments: [(400, false), (404, false), (409, false), (408, true), (429, true), (500, true), (502, true)])
    func statusesAreClassified(status: Int, transient: Bool) async throws {
        try await Self.withReceiver { receiver, performer in
            _ = try await Self.receiver(receiver, "/_control", post: #"{"fail_next": 1, "status": \#(status)}"#)
            let attempt = await performer.perform(
                connector: Self.rest(receiver.port), method: "DELETE", path: "/users/kim", headers: [], body: nil, idempotencyKey: "k",
                successStatuses: nil)
            #expect(attempt.result == (transient ? .transientFailure : .permanentFailure))
            #expect(attempt.message.contains("→ \(status) "))
        }
    }

    @Test func successStatusesNarrowWhatSucceeds() async throws {
        try await Self.withReceiver { receiver, performer in
            let connector = Self.rest(receiver.port)
            let created = await performer.perform(
                connector: connector, method: "POST", path: "/users", headers: [], body: [:], idempotencyKey: "a", successStatuses: [202])
            #expect(created.result == .permanentFailure)
            let deleted = await performer.perform(
                connector: connector, method: "DELETE", path: "/users/1", headers: [], body: nil, idempotencyKey: "b", successStatuses: [204, 404])
            #expect(deleted.result == .succeeded(changed: true))
            let requests = try await Self.receiver(receiver, "/_requests") as? [[String: Any]] ?? []
            let headers = requests.last?["headers"] as? [String: String] ?? [:]
            #expect(headers["Content-Type"] == nil, "no body, no Content-Type")
        }
    }

    @Test func secretHeadersAreSentButNeverRecorded() async throws {
        try await Self.withReceiver { receiver, performer in
            let connector = Self.rest(receiver.port, secretHeaders: ["Authorization": "Bearer s3cr3t", "X-Api-Token": "t0ken"])
            let attempt = await performer.perform(
                connector: connector, method: "POST", path: "/users", headers: [("X-Request-Source", "warden")], body: ["a": 1],
                idempotencyKey: "k", successStatuses: nil)
            #expect(attempt.result == .succeeded(changed: true))
            let recorded = attempt.jobRequest.memberValue("headers")
            #expect(recorded?.memberValue("Authorization") == .string("[redacted]"))
            #expect(recorded?.memberValue("X-Api-Token") == .string("[redacted]"))
            #expect(recorded?.memberValue("X-Request-Source") == .string("warden"))
            let everything = "\(attempt.jobRequest) \(attempt.jobResult) \(attempt.message)"
            #expect(!everything.contains("s3cr3t") && !everything.contains("t0ken"))
            let requests = try await Self.receiver(receiver, "/_requests") as? [[String: Any]] ?? []
            let headers = requests.first?["headers"] as? [String: String] ?? [:]
            #expect(headers["Authorization"] == "Bearer s3cr3t")
            #expect(headers["X-Api-Token"] == "t0ken")
        }
    }

    @Test func thePathIsJoinedOnceAndNotEncodedAgain() async throws {
        try await Self.withReceiver { receiver, performer in
            let connector = Self.rest(receiver.port, base: "/api/v2/")
            let attempt = await performer.perform(
                connector: connector, method: "GET", path: "/users/kim%40example.com?fields=a%2Cb", headers: [], body: nil, idempotencyKey: "k",
                successStatuses: nil)
            #expect(attempt.result == .succeeded(changed: true))
            #expect(attempt.output.memberValue("path") == .string("/api/v2/users/kim%40example.com?fields=a%2Cb"))
        }
    }

    @Test func aWebhookPostsItsBody() async throws {
        try await Self.withReceiver { receiver, performer in
            let webhook = Connector(id: "w", name: "hook", type: .webhook, url: "http://127.0.0.1:\(receiver.port)/hooks/joiner")
            let attempt = await performer.post(webhook: webhook, body: ["event": "JOINED"], idempotencyKey: "w1")
            #expect(attempt.result == .succeeded(changed: true))
            #expect(attempt.jobRequest.memberValue("body") == .object(["event": "JOINED"]))
            let requests = try await Self.receiver(receiver, "/_requests") as? [[String: Any]] ?? []
            #expect(requests.first?["path"] as? String == "/hooks/joiner")
            #expect((requests.first?["body"] as? [String: String]) == ["event": "JOINED"])
        }
    }

    @Test func aSlowTargetTimesOutAsTransient() async throws {
        try await Self.withReceiver { receiver, performer in
            _ = try await Self.receiver(receiver, "/_control", post: #"{"delay_next": 1, "seconds": 8}"#)
            let started = ContinuousClock.now
            let attempt = await performer.perform(
                connector: Self.rest(receiver.port, timeout: 1), method: "GET", path: "/slow", headers: [], body: nil, idempotencyKey: "k",
                successStatuses: nil)
            #expect(attempt.result == .transientFailure)
            #expect(attempt.message.hasSuffix(": no answer within 1 s"), "\(attempt.message)")
            #expect(attempt.responseReceivedAt == nil)
            #expect(started.duration(to: .now) < .seconds(6), "the attempt ends at its timeout, not when the target answers")
        }
    }

    @Test func httpsIsTrustedThroughTheConnectorsCAFile() async throws {
        let directory = TestPeer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = try TestPeer.certificate(in: directory)
        let performer = HTTPPerformer()
        try await TestPeer.run("test-receiver.py", ["--tls-cert", certificate, "--tls-key", key]) { receiver in
            var connector = Self.rest(receiver.port)
            connector.baseURL = "https://127.0.0.1:\(receiver.port)/api"
            let untrusted = await performer.perform(
                connector: connector, method: "GET", path: "/users", headers: [], body: nil, idempotencyKey: "k1", successStatuses: nil)
            #expect(untrusted.result == .permanentFailure)
            #expect(untrusted.message.contains("TLS failed"), "\(untrusted.message)")
            connector.caFile = certificate
            let trusted = await performer.perform(
                connector: connector, method: "GET", path: "/users", headers: [], body: nil, idempotencyKey: "k2", successStatuses: nil)
            #expect(trusted.result == .succeeded(changed: true), "\(trusted.message)")
        }
        try await performer.shutdown()
    }

    @Test func aRefusedConnectionIsTransientAndQuick() async throws {
        let performer = HTTPPerformer()
        let port = try await TestPeer.closedPort()
        let started = ContinuousClock.now
        let attempt = await performer.perform(
            connector: Self.rest(port), method: "POST", path: "/users", headers: [], body: [:], idempotencyKey: "k", successStatuses: nil)
        try await performer.shutdown()
        #expect(attempt.result == .transientFailure)
        #expect(attempt.message == "POST http://127.0.0.1:\(port)/api/users: connection refused")
        #expect(started.duration(to: .now) < .seconds(2))
    }

    @Test func userInfoInAURLIsRedacted() async throws {
        let performer = HTTPPerformer()
        let port = try await TestPeer.closedPort()
        let webhook = Connector(id: "w", name: "hook", type: .webhook, url: "http://bob:pw@127.0.0.1:\(port)/x")
        let attempt = await performer.post(webhook: webhook, body: [:], idempotencyKey: "k")
        try await performer.shutdown()
        #expect(attempt.jobRequest.memberValue("url") == .string("http://[redacted]@127.0.0.1:\(port)/x"))
        #expect(!attempt.message.contains("pw"))
    }
}
