import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SCIMFilter
import WardenCore
import WardenServer

/// A real HTTP server for runner tests, the target of REST and webhook actions: it records every
/// request, applies each `Idempotency-Key` once (a repeat gets the first answer again), and can be
/// told to fail for a while.
final class TestReceiver: Sendable {
    struct Received: Sendable {
        var method: String
        var path: String
        var idempotencyKey: String
        var headers: [String: String]
        var body: JSONValue
    }

    private struct State {
        var received: [Received] = []
        /// The body each key was applied with, in the order keys were first applied.
        var applied: [(key: String, body: JSONValue)] = []
        var answers: [String: Int] = [:]
        var failNext = 0
        var failStatus = 503
        var down = false
    }

    private let state = NIOLockedValueBox(State())

    /// Every request, in arrival order.
    var received: [Received] { state.withLockedValue { $0.received } }
    /// Each idempotency key applied, once, with its body.
    var applied: [(key: String, body: JSONValue)] { state.withLockedValue { $0.applied } }

    /// The next `count` requests are answered with `status`.
    func fail(next count: Int, status: Int = 503) {
        state.withLockedValue {
            $0.failNext = count
            $0.failStatus = status
        }
    }

    /// While down, every request gets a 503.
    func setDown(_ down: Bool) {
        state.withLockedValue { $0.down = down }
    }

    private func handle(_ request: Request, body: ByteBuffer) -> (status: Int, json: String) {
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))) ?? .null
        return state.withLockedValue { state in
            state.received.append(Received(method: request.method.rawValue, path: request.uri.path, idempotencyKey: key, headers: headers, body: json))
            if state.down { return (503, #"{"error": "down"}"#) }
            if state.failNext > 0 {
                state.failNext -= 1
                return (state.failStatus, #"{"error": "try later"}"#)
            }
            if let number = state.answers[key] { return (200, #"{"id": "user-\#(number)", "replayed": true}"#) }
            state.applied.append((key, json))
            state.answers[key] = state.applied.count
            return (201, #"{"id": "user-\#(state.applied.count)"}"#)
        }
    }

    /// Runs `body` with the receiver listening on a free port of 127.0.0.1.
    func run<T: Sendable>(_ body: @escaping @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.on("**", method: .post) { [self] request, _ in try await respond(request) }
        router.on("**", method: .put) { [self] request, _ in try await respond(request) }
        router.on("**", method: .patch) { [self] request, _ in try await respond(request) }
        var logger = Logger(label: "test-receiver")
        logger.logLevel = .warning
        return try await LoopbackServer.serve(router, logger: logger, body)
    }

    private func respond(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let (status, json) = handle(request, body: body)
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
