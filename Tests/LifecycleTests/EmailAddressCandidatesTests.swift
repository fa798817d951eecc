@testable import Lifecycle
import Testing

/// The addresses CREATE_EMAIL tries: cleaned, lower-case ASCII, then numbered on collisions.
@Suite struct EmailAddressCandidatesTests {
    @Test func aRenderedAddressIsLowerCaseASCIIWithoutWhatAnAddressCannotHold() throws {
        #expect(try #require(EmailAddressCandidates(rendered: "José.Núñez@Example.COM")).address(1) == "jose.nunez@example.com")
        #expect(try #require(EmailAddressCandidates(rendered: "Łukasz.O'Brien-Straße@corp.example")).address(1) == "lukasz.obrien-strasse@corp.example")
        #expect(try #require(EmailAddressCandidates(rendered: "Anne Marie..Lee@corp.example")).address(1) == "annemarie.lee@corp.example")
        #expect(try #require(EmailAddressCandidates(rendered: "Дмитрий.Иванов@corp.example")).address(1) == "dmitrij.ivanov@corp.example")
    }

    @Test func somethingThatIsNotAnAddressHasNoCandidates() {
        #expect(EmailAddressCandidates(rendered: "no-at-sign") == nil)
        #expect(EmailAddressCandidates(rendered: "a@b@c.example") == nil)
        #expect(EmailAddressCandidates(rendered: "北京@corp.example")?.address(1) == "beijing@corp.example")
        #expect(EmailAddressCandidates(rendered: "!!!@corp.example") == nil)
        #expect(EmailAddressCandidates(rendered: "ann@localhost") == nil)
        #expect(EmailAddressCandidates(rendered: "ann@exa mple.com") == nil)
    }

    @Test func takenAddressesAreNumberedFromTwo() async throws {
        let candidates = try #require(EmailAddressCandidates(rendered: "ann.lee@corp.example"))
        let taken: Set = ["ann.lee@corp.example", "ann.lee.2@corp.example"]
        #expect(try await candidates.firstFree { taken.contains($0) } == "ann.lee.3@corp.example")
        #expect(try await candidates.firstFree { _ in false } == "ann.lee@corp.example")
        #expect(try await candidates.firstFree { _ in true } == nil)
    }
}
