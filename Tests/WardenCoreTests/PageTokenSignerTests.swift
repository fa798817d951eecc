import Foundation
import Testing
@testable import WardenCore

@Suite struct PageTokenSignerTests {
    let signer = PageTokenSigner(secret: Data(repeating: 7, count: 32))

    @Test func tokensCarryEveryKindOfSortKey() throws {
        let cursor: [CursorValue] = [
            .text("quote \" backslash \\ tab \t newline \n control \u{01} ünïcode 🚀"), .integer(1_767_225_600_123_456_789), .integer(-3),
            .double(0.1), .double(-2.5e-7), .boolean(true), .boolean(false), .null,
        ]
        let token = signer.issue(binding: "list-binding", cursor: cursor)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        #expect(try signer.open(token, binding: "list-binding") == cursor)
    }

    @Test func alteredForeignOrMismatchedTokensAreRefused() {
        let token = signer.issue(binding: "a", cursor: [.integer(1)])
        #expect(throws: APIError.self) { try signer.open(token, binding: "b") }
        #expect(throws: APIError.self) { try PageTokenSigner(secret: Data(repeating: 8, count: 32)).open(token, binding: "a") }
        var altered = Array(token)
        altered[3] = altered[3] == "A" ? "B" : "A"
        #expect(throws: APIError.self) { try signer.open(String(altered), binding: "a") }
    }
}
