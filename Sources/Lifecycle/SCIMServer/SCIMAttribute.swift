import SCIMFilter

/// One attribute of a SCIM schema (RFC 7643 §7): what `/Schemas` declares, and what validation,
/// filters and PATCH paths check against.
struct SCIMAttribute: Sendable {
    enum DataType: String, Sendable {
        case string, boolean, decimal, integer, dateTime, reference, complex, binary
    }

    enum Mutability: String, Sendable {
        case readOnly, readWrite, immutable, writeOnly
    }

    enum Returned: String, Sendable {
        case always, never, `default`, request
    }

    var name: String
    var type: DataType
    var multiValued = false
    var required = false
    var caseExact = false
    var mutability = Mutability.readWrite
    var returned = Returned.default
    var unique = false
    var canonicalValues: [String] = []
    var referenceTypes: [String] = []
    var description = ""
    var subAttributes: [SCIMAttribute] = []

    /// The sub-attribute named `name`, ignoring case.
    func subAttribute(_ name: String) -> SCIMAttribute? {
        subAttributes.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The attribute as `/Schemas` shows it.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "type": .string(type.rawValue), "multiValued": .bool(multiValued), "description": .string(description),
            "required": .bool(required), "caseExact": .bool(caseExact), "mutability": .string(mutability.rawValue),
            "returned": .string(returned.rawValue), "uniqueness": .string(unique ? "server" : "none"),
        ]
        if !canonicalValues.isEmpty { object["canonicalValues"] = .array(canonicalValues.map(JSONValue.string)) }
        if !referenceTypes.isEmpty { object["referenceTypes"] = .array(referenceTypes.map(JSONValue.string)) }
        if type == .complex { object["subAttributes"] = .array(subAttributes.map(\.json)) }
        return .object(object)
    }
}

extension SCIMAttribute {
    /// `externalId`, common to every resource (RFC 7643 §3.1) rather than part of a schema.
    static let externalID = SCIMAttribute(name: "externalId", type: .string, caseExact: true, description: "The client's own id for the resource.")

    static func string(_ name: String, _ description: String, caseExact: Bool = false) -> SCIMAttribute {
        SCIMAttribute(name: name, type: .string, caseExact: caseExact, description: description)
    }

    /// A multi-valued complex attribute with `value`, `display`, `type` and `primary` (emails, phone numbers, …).
    static func multiValued(_ name: String, _ description: String, valueType: DataType = .string, types: [String] = []) -> SCIMAttribute {
        SCIMAttribute(name: name, type: .complex, multiValued: true, description: description, subAttributes: [
            SCIMAttribute(name: "value", type: valueType, description: "The value."),
            .string("display", "A human-readable name."),
            SCIMAttribute(name: "type", type: .string, canonicalValues: types, description: "What the value is for."),
            SCIMAttribute(name: "primary", type: .boolean, description: "Whether it is the primary value."),
        ])
    }
}
