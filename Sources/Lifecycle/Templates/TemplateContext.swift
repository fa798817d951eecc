import SCIMFilter

/// What a template renders from: the identity's attributes, the outputs of the actions that ran
/// before, by action name, and in a remediation's task the entitlement it removes.
public struct TemplateContext: Sendable {
    public var attributes: [String: JSONValue]
    public var outputs: [String: JSONValue]
    /// The result row's destination, for a task a review's remediation started; nil otherwise.
    public var entitlement: JSONValue?

    public init(attributes: [String: JSONValue], outputs: [String: JSONValue] = [:], entitlement: JSONValue? = nil) {
        self.attributes = attributes
        self.outputs = outputs
        self.entitlement = entitlement
    }

    /// The value `path` names: an attribute (a flat key `a.b`, else member `b` of object `a`), or with
    /// `actions.NAME.FIELD...`, a field of an earlier action's output.
    func value(of path: TemplatePath) throws(TemplateError) -> JSONValue {
        switch path {
        case .attribute(let components):
            if components.count > 1, let flat = attributes[components.joined(separator: ".")] { return flat }
            guard let root = attributes[components[0]] else {
                throw TemplateError("the identity has no attribute \"\(components[0])\"")
            }
            return try Self.member(components.dropFirst(), of: root, path.text)
        case .output(let action, let fields):
            guard let output = outputs[action] else {
                throw TemplateError("action \"\(action)\" has no output yet: it has not run before this one")
            }
            return try Self.member(fields[...], of: output, path.text)
        case .entitlement(let fields):
            guard let entitlement else {
                throw TemplateError("there is no entitlement: only a task a review's remediation started has one")
            }
            return try Self.member(fields[...], of: entitlement, path.text)
        }
    }

    private static func member(_ components: ArraySlice<String>, of root: JSONValue, _ text: String) throws(TemplateError) -> JSONValue {
        var value = root
        for component in components {
            guard case .object(let members) = value, let next = members[component] else {
                throw TemplateError("\"\(text)\" does not exist: there is no member \"\(component)\"")
            }
            value = next
        }
        return value
    }
}
