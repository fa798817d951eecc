import Synchronization
import WardenCore

/// The keys and property lists of certifications this process has listed, so a page of rows
/// needs no query for them. Each entry remembers the certification's `properties_version`, and
/// the page query returns the current one: a load that changed the properties (here or in
/// another instance) makes the entry stale, and the page is read again with fresh properties.
final class CatalogCache: Sendable {
    struct Entry: Sendable {
        var key: Int64
        var properties: [ResultProperty]
        var version: Int64
    }

    /// The most certifications remembered; past that the cache starts over.
    static let capacity = 1_000

    /// Shared by every store of the process; entries are per database.
    static let shared = CatalogCache()

    private let entries = Mutex<[String: Entry]>([:])

    private static func name(_ id: String, _ database: Database) -> String {
        "\(ObjectIdentifier(database).hashValue):\(id)"
    }

    func entry(_ id: String, in database: Database) -> Entry? {
        entries.withLock { $0[Self.name(id, database)] }
    }

    func store(_ entry: Entry, for id: String, in database: Database) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[Self.name(id, database)] = entry
        }
    }
}
