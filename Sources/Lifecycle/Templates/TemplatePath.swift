/// What a `{...}` reference names: an identity attribute (dotted for nested objects), a field of
/// an earlier action's output (`actions.NAME.FIELD...`), or, in a remediation's task, a field of the
/// entitlement being removed (`entitlement.FIELD...`).
public enum TemplatePath: Sendable, Hashable {
    case attribute([String])
    case output(action: String, fields: [String])
    case entitlement([String])

    /// The prefix that names an earlier action's output.
    static let outputPrefix = "actions"
    /// The prefix that names the entitlement a remediation removes.
    static let entitlementPrefix = "entitlement"

    init(components: [String]) {
        if components.count > 1, components[0] == Self.outputPrefix {
            self = .output(action: components[1], fields: Array(components.dropFirst(2)))
        } else if components.count > 1, components[0] == Self.entitlementPrefix {
            self = .entitlement(Array(components.dropFirst()))
        } else {
            self = .attribute(components)
        }
    }

    /// The path as written, dotted.
    public var text: String {
        switch self {
        case .attribute(let components): components.joined(separator: ".")
        case .output(let action, let fields): ([Self.outputPrefix, action] + fields).joined(separator: ".")
        case .entitlement(let fields): ([Self.entitlementPrefix] + fields).joined(separator: ".")
        }
    }
}

extension Sequence<TemplatePath> {
    /// The identity attributes among these paths, dotted as written.
    var attributeNames: Set<String> {
        Set(compactMap { if case .attribute = $0 { $0.text } else { nil } })
    }

    /// The actions whose output field `field` these paths name (`actions.NAME.password`).
    func actionNames(referencing field: String) -> Set<String> {
        Set(compactMap { if case .output(let action, let fields) = $0, fields.first == field { action } else { nil } })
    }

    /// The actions whose outputs these paths name.
    var actionNames: Set<String> {
        Set(compactMap { if case .output(let action, _) = $0 { action } else { nil } })
    }
}
