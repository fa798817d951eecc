import WardenCore

/// What policies are checked against: the identity sources, identities and connectors in the database.
struct DatabasePolicyEnvironment: PolicyEnvironment {
    let database: Database
    let connectors: ConnectorStore

    func sourceExists(id: String) async throws -> Bool {
        try await IdentitySourceStore(database: database).find(id) != nil
    }

    func attributeNames(sourceIDs: [String]) async throws -> Set<String> {
        try await IdentityStore(database: database).attributeNames(sourceIDs: sourceIDs)
    }

    func connectorTypes() async throws -> [String: ConnectorType] {
        connectors.connectorTypes()
    }

    func identity(id: String, sourceIDs: [String]) async throws -> IdentitySnapshot? {
        guard let identity = try await IdentityStore(database: database).snapshot(id: id), sourceIDs.contains(identity.sourceID) else { return nil }
        return identity
    }
}
