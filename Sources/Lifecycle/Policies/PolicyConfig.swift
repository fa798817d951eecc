import SCIMFilter
import WardenCore

/// A policy version's configuration, validated and compiled: filters and templates parsed once, so
/// planning and rendering for each identity only evaluate them.
///
/// `document` is the JSON as saved, which the API returns.
public struct PolicyConfig: Sendable {
    public let document: JSONValue
    public let workflows: [PolicyWorkflow]
    /// Every action, in the order defined.
    public let actions: [PolicyAction]
    let actionIndex: [String: Int]
    /// The identity attributes each field's templates reference, for checking against the sources.
    let attributeReferences: [(field: String, names: Set<String>)]
    /// The connector each field names and the type it must have.
    let connectorUses: [(field: String, connector: String, type: ConnectorType)]

    init(
        document: JSONValue, workflows: [PolicyWorkflow], actions: [PolicyAction],
        attributeReferences: [(field: String, names: Set<String>)], connectorUses: [(field: String, connector: String, type: ConnectorType)]
    ) {
        self.document = document
        self.workflows = workflows
        self.actions = actions
        actionIndex = Dictionary(actions.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.attributeReferences = attributeReferences
        self.connectorUses = connectorUses
    }

    /// Parses and checks `document` on its own (without the sources and connectors): throws one 400
    /// listing every problem, fields named from `field` (`config.actions[2].config.method`).
    public init(validating document: JSONValue, field: String = "config") throws(APIError) {
        var parser = PolicyConfigParser()
        let config = parser.parse(document, at: field)
        guard parser.reader.violations.isEmpty else { throw APIError.invalidFields(parser.reader.violations) }
        self = config
    }

    /// The action named `name`.
    public func action(named name: String) -> PolicyAction? {
        actionIndex[name].map { actions[$0] }
    }
}

extension APIError {
    /// The 400 listing every one of `violations`.
    static func invalidFields(_ violations: [FieldViolation]) -> APIError {
        let summary = violations.prefix(3).map { $0.description.hasPrefix($0.field) ? $0.description : "\($0.field): \($0.description)" }
            .joined(separator: "; ")
        let more = violations.count > 3 ? "; and \(violations.count - 3) more" : ""
        return APIError(
            .invalidArgument, "the request has \(violations.count) problem(s): \(summary)\(more)",
            fieldViolations: violations, resolution: "Correct every field named in the violations and retry.")
    }
}
