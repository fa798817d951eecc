import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

@Suite struct ErrorEnvelopeTests {
    @Test func unknownRouteIsNotFoundEnvelope() async throws {
        try await TestServer.run { server in
            let message = try await server.request(.get, "/api/preview/nothing-here").expectEnvelope(status: 404, code: "NotFound")
            #expect(message.contains("/api/preview/nothing-here"))
            try await server.request(.get, "/no/such/page", key: "").expectEnvelope(status: 404, code: "NotFound")
        }
    }

    @Test func oversizedBodyIs413Envelope() async throws {
        try await TestServer.run { server in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 5 * 1024 * 1024)
            let response = try await server.request(.post, "/api/preview/keys", body: big)
            let message = response.expectEnvelope(status: 413, code: "ResourceExhausted")
            #expect(message.contains("larger than"))
        }
    }

    @Test func missingOrUnknownKeyIs401() async throws {
        try await TestServer.run { server in
            let missing = try await server.request(.get, "/api/preview/keys", key: "").expectEnvelope(status: 401, code: "Unauthenticated")
            #expect(missing.contains("Authorization"))
            let bogus = "wdn_" + String(repeating: "0", count: 32) + "_nope"
            try await server.request(.get, "/api/preview/keys", key: bogus).expectEnvelope(status: 401, code: "Unauthenticated")
            try await server.request(.get, "/api/preview/keys", key: "garbage").expectEnvelope(status: 401, code: "Unauthenticated")
        }
    }

    @Test func malformedJSONIs400NamingTheProblem() async throws {
        try await TestServer.run { server in
            let notJSON = try await server.request(.post, "/api/preview/keys", json: "{nope").expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(notJSON.contains("not valid JSON"))
            let missing = try await server.request(.post, "/api/preview/keys", json: #"{"name":"x"}"#).expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(missing.contains("role"))
            let badRole = try await server.request(.post, "/api/preview/keys", json: #"{"name":"x","role":"wizard"}"#).expectEnvelope(status: 400, code: "InvalidArgument")
            #expect(badRole.contains("wizard") && badRole.contains("admin"))
        }
    }
}
