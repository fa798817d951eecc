/// A policy environment held in memory: for tests, and as the server's stand-in until identity
/// sources and connectors are stored.
public struct FixedPolicyEnvironment: PolicyEnvironment {
    public var sourceIDs: Set<String>
    public var identities: [IdentitySnapshot]
    public var connectors: [String: ConnectorType]

    public init(sourceIDs: Set<String> = [], identities: [IdentitySnapshot] = [], connectors: [String: ConnectorType] = [:]) {
        self.sourceIDs = sourceIDs
        self.identities = identities
        self.connectors = connectors
    }

    public func sourceExists(id: String) async throws -> Bool {
        sourceIDs.contains(id)
    }

    public func attributeNames(sourceIDs: [String]) async throws -> Set<String> {
        identities.filter { sourceIDs.contains($0.sourceID) }.reduce(into: Set()) { $0.formUnion($1.attributes.keys) }
    }

    public func connectorTypes() async throws -> [String: ConnectorType] {
        connectors
    }

    public func identity(id: String, sourceIDs: [String]) async throws -> IdentitySnapshot? {
        identities.first { $0.id == id && sourceIDs.contains($0.sourceID) }
    }
}
