import WardenCore

extension PolicyConfig {
    /// The problems only the environment can show: connectors that do not exist or have the wrong
    /// type, and attributes that no identity of `sourceIDs` has (checked only when they have identities).
    public func environmentViolations(_ environment: any PolicyEnvironment, sourceIDs: [String]) async throws -> [APIError.FieldViolation] {
        var violations: [APIError.FieldViolation] = []
        if !connectorUses.isEmpty {
            let connectors = try await environment.connectorTypes()
            for use in connectorUses {
                guard let type = connectors[use.connector] else {
                    let known = connectors.filter { $0.value == use.type }.keys.sorted()
                    let hint = known.isEmpty ? "there is no \(use.type.rawValue) connector yet" : "the \(use.type.rawValue) connectors are \(known.joined(separator: ", "))"
                    violations.append(.init(field: use.field, description: "\(use.field): there is no connector named \"\(use.connector)\"; \(hint)"))
                    continue
                }
                if type != use.type {
                    violations.append(.init(
                        field: use.field,
                        description: "\(use.field): the connector \"\(use.connector)\" is a \(type.rawValue) connector; this action needs a \(use.type.rawValue) connector"))
                }
            }
        }
        if !attributeReferences.isEmpty {
            let names = try await environment.attributeNames(sourceIDs: sourceIDs)
            guard !names.isEmpty else { return violations }
            for reference in attributeReferences {
                for name in reference.names.sorted() where !names.contains(name) && !names.contains(String(name.prefix { $0 != "." })) {
                    violations.append(.init(
                        field: reference.field,
                        description: "\(reference.field) references the attribute \"\(name)\", which no identity of the policy's sources has"))
                }
            }
        }
        return violations
    }
}
