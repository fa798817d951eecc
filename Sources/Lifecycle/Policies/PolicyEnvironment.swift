/// What policies need from the rest of the engine: identity sources, their identities' attributes,
/// and connectors. Validation and `:test` ask it; the server passes the real one.
public protocol PolicyEnvironment: Sendable {
    /// Whether an identity source with this id exists.
    func sourceExists(id: String) async throws -> Bool
    /// The attribute names the identities of these sources have; empty when they have none yet.
    func attributeNames(sourceIDs: [String]) async throws -> Set<String>
    /// Every connector's name and type.
    func connectorTypes() async throws -> [String: ConnectorType]
    /// The identity with this id in one of these sources, for `:test`.
    func identity(id: String, sourceIDs: [String]) async throws -> IdentitySnapshot?
}
