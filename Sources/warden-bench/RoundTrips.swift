import ArgumentParser
import AsyncHTTPClient
import NIOHTTP1

/// Round-trip latencies of one request, in microseconds.
struct RoundTrips {
    var latencies: [Double]
    var mean: Double { latencies.reduce(0, +) / Double(latencies.count) }
    func percentile(_ p: Double) -> Double { latencies.sorted()[min(latencies.count - 1, Int(Double(latencies.count) * p))] }

    /// `requests` GETs of `url` with `headers` over `client`, after a tenth as many to warm up; each must answer 200.
    static func measure(_ client: HTTPClient, _ url: String, headers: HTTPHeaders = [:], requests: Int) async throws -> RoundTrips {
        var request = HTTPClientRequest(url: url)
        request.headers = headers
        var latencies: [Double] = []
        latencies.reserveCapacity(requests)
        let clock = ContinuousClock()
        for index in 0..<(requests + requests / 10) {
            let start = clock.now
            let response = try await client.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 64 << 20)
            guard response.status == .ok else { throw ValidationError("\(url) answered \(response.status)") }
            if index >= requests / 10 {
                latencies.append((clock.now - start).inSeconds * 1e6)
            }
        }
        return RoundTrips(latencies: latencies)
    }
}

/// Runs `body` with an HTTP client of one keep-alive connection that follows no redirects, and
/// shuts the client down however `body` ends.
func withOneConnectionClient(_ body: (HTTPClient) async throws -> Void) async throws {
    let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)))
    do {
        try await body(client)
    } catch {
        try await client.shutdown()
        throw error
    }
    try await client.shutdown()
}
