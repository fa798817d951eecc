import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore

@Suite struct ErrorEnvelopeTests {
    /// Checks the Veza envelope shape and returns its message.
    @discardableResult
    static func expectEnvelope(_ response: TestResponse, status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(Int(response.status.code) == status, "body: \(response.text)", sourceLocation: sourceLocation)
        let body = response.json
        #expect(body["code"] as? String == code, sourceLocation: sourceLocation)
        let requestID = body["request_id"] as? String ?? ""
        #expect(requestID.count == 32 && requestID.allSatisfy(\.isHexDigit), sourceLocation: sourceLocation)
        #expect(response.headers[.init("X-Request-Id")!] == requestID, sourceLocation: sourceLocation)
        let timestamp = body["timestamp"] as? String ?? ""
        #expect(timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"#, options: .regularExpression) != nil, sourceLocation: sourceLocation)
        let details = body["details"] as? [[String: Any]] ?? []
        #expect(details.contains { $0["@type"] as? String == "type.googleapis.com/errorstatus.v1.UserFacingErrorInfo" }, sourceLocation: sourceLocation)
        return body["message"] as? String ?? ""
    }

    @Test func unknownRouteIsNotFoundEnvelope() async throws {
        try await TestServer.run { server in
            let message = Self.expectEnvelope(try await server.request(.get, "/api/preview/nothing-here"), status: 404, code: "NotFound")
            #expect(message.contains("/api/preview/nothing-here"))
            Self.expectEnvelope(try await server.request(.get, "/no/such/page", key: ""), status: 404, code: "NotFound")
        }
    }

    @Test func oversizedBodyIs413Envelope() async throws {
        try await TestServer.run { server in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 5 * 1024 * 1024)
            let response = try await server.request(.post, "/api/preview/keys", body: big)
            let message = Self.expectEnvelope(response, status: 413, code: "ResourceExhausted")
            #expect(message.contains("larger than"))
        }
    }

    @Test func missingOrUnknownKeyIs401() async throws {
        try await TestServer.run { server in
            let missing = Self.expectEnvelope(try await server.request(.get, "/api/preview/keys", key: ""), status: 401, code: "Unauthenticated")
            #expect(missing.contains("Authorization"))
            let bogus = "wdn_" + String(repeating: "0", count: 32) + "_nope"
            Self.expectEnvelope(try await server.request(.get, "/api/preview/keys", key: bogus), status: 401, code: "Unauthenticated")
            Self.expectEnvelope(try await server.request(.get, "/api/preview/keys", key: "garbage"), status: 401, code: "Unauthenticated")
        }
    }

    @Test func malformedJSONIs400NamingTheProblem() async throws {
        try await TestServer.run { server in
            let notJSON = Self.expectEnvelope(try await server.request(.post, "/api/preview/keys", json: "{nope"), status: 400, code: "InvalidArgument")
            #expect(notJSON.contains("not valid JSON"))
            let missing = Self.expectEnvelope(try await server.request(.post, "/api/preview/keys", json: #"{"name":"x"}"#), status: 400, code: "InvalidArgument")
            #expect(missing.contains("role"))
            let badRole = Self.expectEnvelope(try await server.request(.post, "/api/preview/keys", json: #"{"name":"x","role":"wizard"}"#), status: 400, code: "InvalidArgument")
            #expect(badRole.contains("wizard") && badRole.contains("admin"))
        }
    }
}
