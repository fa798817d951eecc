import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SCIMFilter
import WardenCore

/// Sends REST requests and webhook posts over one shared HTTP client, and says what came of each
/// as an `ActionAttempt`; a target's failure is an outcome, never a thrown error.
///
/// A 2xx answer (or one of the action's `successStatuses`) succeeded; it changed nothing when the
/// status is 304 or the target says `Idempotent-Replayed: true` (the key was applied before).
/// Connection refused or reset, timeouts, 408, 429 and 5xx are transient; other 4xx and TLS
/// failures are permanent.
public final class HTTPPerformer: Sendable {
    let client: HTTPClient
    let clock: LifecycleClock

    /// Connections kept to one host at most: the runner's concurrency.
    public static let connectionsPerHost = 256
    /// The longest response body read for `output`; the rest is read and dropped.
    static let maximumBodyBytes = 4 * 1024 * 1024
    /// How much of the body the job result keeps.
    static let recordedBodyBytes = 4 * 1024
    /// How much of the body a failure's message quotes, in characters.
    static let quotedBodyCharacters = 200
    /// Header names whose values are never recorded, besides the connector's secret headers.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "x-api-key"]
    static let redacted = "[redacted]"

    public init(clock: LifecycleClock = .system) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.connectionsPerHost)
        // A refused connection fails its request at once instead of retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .ratio(20))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.clock = clock
    }

    /// Closes the client's connections; call once, when the runner stops.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// A REST call: `method` to the connector's base URL joined with `path` (already rendered and
    /// encoded by the caller; nothing is encoded again), with the connector's headers, its secret
    /// headers, `headers`, and `body` as JSON.
    public func perform(
        connector: Connector, method: String, path: String, headers: [(String, String)], body: JSONValue?, idempotencyKey: String,
        successStatuses: [Int]?
    ) async -> ActionAttempt {
        await send(
            connector: connector, method: method.uppercased(), url: Self.join(connector.baseURL, path), headers: headers, body: body,
            idempotencyKey: idempotencyKey, successStatuses: successStatuses)
    }

    /// A webhook: `body` POSTed as JSON to the connector's URL.
    public func post(webhook: Connector, body: JSONValue, idempotencyKey: String) async -> ActionAttempt {
        await send(connector: webhook, method: "POST", url: webhook.url, headers: [], body: body, idempotencyKey: idempotencyKey, successStatuses: nil)
    }

    /// `base` and `path` with exactly one slash between them.
    static func join(_ base: String, _ path: String) -> String {
        guard !path.isEmpty else { return base }
        if path.hasPrefix("?") { return base + path }
        switch (base.hasSuffix("/"), path.hasPrefix("/")) {
        case (true, true): return base + path.dropFirst()
        case (false, false): return base + "/" + path
        default: return base + path
        }
    }

    private func send(
        connector: Connector, method: String, url: String, headers extra: [(String, String)], body: JSONValue?, idempotencyKey: String,
        successStatuses: [Int]?
    ) async -> ActionAttempt {
        let startedAt = clock.now
        let exchange = await self.exchange(connector: connector, method: method, url: url, headers: extra, body: body, idempotencyKey: idempotencyKey)
        let result: ActionAttempt.Result
        var summary: String
        var output = JSONValue.null
        switch exchange.answer {
        case .failed(let failure, let words):
            result = failure
            summary = "\(method) \(exchange.shownURL): \(words)"
        case .answered(let status, let reason, let headers, let data, let complete):
            let replayed = headers.first(name: "Idempotent-Replayed")?.lowercased() == "true"
            result = Self.classify(status: status, successStatuses: successStatuses, replayed: replayed)
            summary = "\(method) \(exchange.shownURL) → \(status) \(reason)"
            if case .succeeded(changed: false) = result, replayed { summary += " (already applied)" }
            if result != .succeeded(changed: true), result != .succeeded(changed: false) {
                let quoted = String(decoding: data, as: UTF8.self).prefix(Self.quotedBodyCharacters).trimmingCharacters(in: .whitespacesAndNewlines)
                if !quoted.isEmpty { summary += ": \(quoted)" }
            }
            output = complete && !data.isEmpty ? ((try? WireJSON.decoder().decode(JSONValue.self, from: data)) ?? .null) : .null
        }
        ConnectorMetrics.record(connector, result, duration: exchange.duration)
        return ActionAttempt(
            result: result, message: summary, output: output, jobRequest: exchange.jobRequest, jobResult: exchange.jobResult,
            startedAt: startedAt, completedAt: exchange.completedAt, responseReceivedAt: exchange.answered ? exchange.completedAt : nil,
            retryAfter: exchange.retryAfter)
    }

    /// One request with the connector's headers and secret headers (recorded redacted), `headers`,
    /// `Idempotency-Key` and `body` as JSON (`contentType`): what came back, or why nothing did.
    func exchange(
        connector: Connector, method: String, url: String, headers extra: [(String, String)], body: JSONValue?, idempotencyKey: String,
        contentType: String = "application/json"
    ) async -> HTTPExchange {
        let start = ContinuousClock.now
        let shownURL = Self.redactingUserInfo(url)
        var headers = HTTPHeaders()
        for (name, value) in connector.headers.sorted(by: { $0.key < $1.key }) { headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in connector.secretHeaders.sorted(by: { $0.key < $1.key }) { headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        headers.replaceOrAdd(name: "Idempotency-Key", value: idempotencyKey)
        var bodyBytes: ByteBuffer?
        if let body {
            headers.replaceOrAdd(name: "Content-Type", value: contentType)
            bodyBytes = ByteBuffer(data: (try? WireJSON.encoder().encode(body)) ?? Data("null".utf8))
        }
        let secretNames = Set(connector.secretHeaders.keys.map { $0.lowercased() }).union(Self.credentialHeaders)
        let jobRequest = JSONValue.object([
            "method": .string(method), "url": .string(shownURL),
            "headers": .object(Dictionary(headers.map { ($0.name, JSONValue.string(secretNames.contains($0.name.lowercased()) ? Self.redacted : $0.value)) },
                                          uniquingKeysWith: { _, last in last })),
            "body": body ?? .null,
        ])

        func finish(_ answer: HTTPExchange.Answer, jobResult: [String: JSONValue], retryAfter: Duration? = nil) -> HTTPExchange {
            let duration = start.duration(to: .now)
            var jobResult = jobResult
            jobResult["duration_ms"] = .number((duration.inSeconds * 1_000_000).rounded() / 1_000)
            return HTTPExchange(
                shownURL: shownURL, answer: answer, jobRequest: jobRequest, jobResult: .object(jobResult), duration: duration,
                completedAt: clock.now, retryAfter: retryAfter)
        }

        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers = headers
        if let bodyBytes { request.body = .bytes(bodyBytes) }
        if !connector.caFile.isEmpty {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(connector.caFile)]
            request.tlsConfiguration = tls
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(connector.timeoutSeconds)))
            let (data, complete) = try await Self.collect(response.body)
            let status = Int(response.status.code)
            let text = String(decoding: data.prefix(Self.recordedBodyBytes), as: UTF8.self)
            let retryAfter = (status == 429 || status == 503) ? response.headers.first(name: "Retry-After").flatMap(Self.retryAfter) : nil
            var noted: [String: JSONValue] = [:]
            for name in ["Content-Type", "Location", "Retry-After", "Idempotent-Replayed", "ETag"] {
                if let value = response.headers.first(name: name) { noted[name] = .string(value) }
            }
            return finish(
                .answered(status: status, reason: response.status.reasonPhrase, headers: response.headers, body: data, complete: complete),
                jobResult: [
                    "status": .number(Double(status)), "reason": .string(response.status.reasonPhrase), "headers": .object(noted),
                    "body": .string(text), "body_truncated": .bool(data.count > Self.recordedBodyBytes || !complete),
                ],
                retryAfter: retryAfter)
        } catch {
            let (result, words) = Self.describe(error, timeoutSeconds: connector.timeoutSeconds)
            return finish(.failed(result, words), jobResult: ["error": .string(words)])
        }
    }

    /// The body's first `maximumBodyBytes`, and whether that was all of it.
    private static func collect(_ body: HTTPClientResponse.Body) async throws -> (Data, Bool) {
        var data = Data()
        var complete = true
        for try await chunk in body {
            guard complete else { continue }
            if data.count + chunk.readableBytes > maximumBodyBytes {
                complete = false
                continue
            }
            data.append(contentsOf: chunk.readableBytesView)
        }
        return (data, complete)
    }
}
