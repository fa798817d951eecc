import Foundation
import HummingbirdTesting
import Testing
import WardenCore
import WardenTestSupport

/// Every class of bad list input gets a 400 `InvalidArgument` whose message names the problem.
@Suite struct ListValidationTests {
    static let path = "/api/preview/keys"

    static func expectRejected(_ server: TestServer, _ parameters: [(String, String)], mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await server.request(.get, TestServer.uri(path, parameters))
        let message = response.expectEnvelope(status: 400, code: "InvalidArgument", sourceLocation: sourceLocation)
        for word in words {
            #expect(message.localizedCaseInsensitiveContains(word), "message: \(message)", sourceLocation: sourceLocation)
        }
        let details = response.json["details"] as? [[String: Any]] ?? []
        #expect(details.contains { $0["@type"] as? String == "type.googleapis.com/google.rpc.BadRequest" }, sourceLocation: sourceLocation)
    }

    @Test func unknownField() async throws {
        try await TestServer.run { try await Self.expectRejected($0, [("filter", #"colour eq "red""#)], mentioning: ["unknown field", "colour"]) }
    }

    @Test func operatorNotAllowedForField() async throws {
        try await TestServer.run { try await Self.expectRejected($0, [("filter", #"role co "adm""#)], mentioning: ["role", "co", "eq"]) }
    }

    @Test func unterminatedString() async throws {
        try await TestServer.run { try await Self.expectRejected($0, [("filter", #"name eq "abc"#)], mentioning: ["unterminated", "column"]) }
    }

    @Test func unbalancedParentheses() async throws {
        try await TestServer.run { server in
            try await Self.expectRejected(server, [("filter", #"(name eq "a" or name eq "b""#)], mentioning: ["unbalanced", "column"])
            try await Self.expectRejected(server, [("filter", #"name eq "a")"#)], mentioning: [")", "column"])
        }
    }

    @Test func hundredThousandNestedParentheses() async throws {
        try await TestServer.run { server in
            let deep = String(repeating: "(", count: 100_000) + #"name eq "a""# + String(repeating: ")", count: 100_000)
            try await Self.expectRejected(server, [("filter", deep)], mentioning: ["filter"])
        }
    }

    @Test func oneMebibyteFilter() async throws {
        try await TestServer.run { server in
            let huge = #"name eq ""# + String(repeating: "x", count: 1 << 20) + #"""#
            try await Self.expectRejected(server, [("filter", huge)], mentioning: ["8192"])
        }
    }

    @Test func tamperedAndMismatchedPageTokens() async throws {
        try await TestServer.run { server in
            for index in 0..<3 { _ = try await server.keys.create(name: "k\(index)", role: .viewer, createdBy: "test") }
            let first = try await server.request(.get, TestServer.uri(Self.path, [("page_size", "1")]))
            let token = first.json["next_page_token"] as? String ?? ""
            #expect(!token.isEmpty)
            var tampered = Array(token)
            tampered[3] = tampered[3] == "A" ? "B" : "A"
            try await Self.expectRejected(server, [("page_size", "1"), ("page_token", String(tampered))], mentioning: ["page_token"])
            try await Self.expectRejected(server, [("page_size", "1"), ("page_token", "not-a-token")], mentioning: ["page_token"])
            try await Self.expectRejected(server, [("page_size", "1"), ("page_token", token), ("filter", #"name eq "k1""#)], mentioning: ["page_token", "different filter"])
            try await Self.expectRejected(server, [("page_size", "1"), ("page_token", token), ("order_by", "name asc")], mentioning: ["page_token"])
        }
    }

    @Test(arguments: ["0", "-1", "1000000000", "ten"])
    func pageSizeOutOfRange(size: String) async throws {
        try await TestServer.run { try await Self.expectRejected($0, [("page_size", size)], mentioning: ["page_size", "1000"]) }
    }

    @Test func orderByUnknownField() async throws {
        try await TestServer.run { server in
            try await Self.expectRejected(server, [("order_by", "colour desc")], mentioning: ["order_by", "colour", "sortable fields"])
            try await Self.expectRejected(server, [("order_by", "name sideways")], mentioning: ["asc or desc"])
        }
    }
}

@Suite struct FormQueryTests {
    @Test func plusIsASpaceAndPercent2BAPlus() async throws {
        try await TestServer.run { server in
            _ = try await server.keys.create(name: "a+b", role: .viewer, createdBy: "test")
            let plusAsSpace = try await server.request(.get, "/api/preview/keys?filter=name+eq+%22a%2Bb%22")
            #expect(plusAsSpace.status == .ok, "\(plusAsSpace.text)")
            #expect((plusAsSpace.json["values"] as? [[String: Any]])?.map { $0["name"] as? String } == ["a+b"])
        }
    }
}
