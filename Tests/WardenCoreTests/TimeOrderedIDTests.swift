import Foundation
import Testing
import WardenCore

@Suite struct TimeOrderedIDTests {
    @Test func idsAreVersion7UUIDsThatSortByTime() throws {
        let earlier = TimeOrderedID.make(now: Date(timeIntervalSince1970: 1_700_000_000))
        let later = TimeOrderedID.make(now: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(earlier < later)
        #expect(earlier.hasPrefix("018bcfe5-6800-7"))
        let parsed = try #require(UUID(uuidString: earlier))
        #expect(parsed.uuidString.lowercased() == earlier)
        let variant = try #require(earlier.split(separator: "-")[3].first)
        #expect("89ab".contains(variant))
        #expect(Set((0..<1_000).map { _ in TimeOrderedID.make() }).count == 1_000)
    }
}
