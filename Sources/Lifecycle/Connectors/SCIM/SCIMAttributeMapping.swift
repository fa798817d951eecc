import SCIMFilter
import WardenCore

/// A SCIM connector's attribute mapping, parsed: which SCIM User attribute each template fills.
///
/// A target is `attribute`, `attribute.subAttribute`, or `attribute[key eq "value"].subAttribute`
/// (one element of a multi-valued attribute, made when missing), optionally prefixed by an
/// extension's schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`).
/// A template that is one reference keeps the attribute's JSON type (`"{is_active}"` → a boolean).
struct SCIMAttributeMapping: Sendable {
    struct Target: Sendable, Equatable {
        /// The extension's schema URN; nil for the core User schema.
        var schema: String?
        var attribute: String
        /// `[key eq "value"]`: the element of a multi-valued attribute.
        var selector: (key: String, value: String)?
        var subAttribute: String?

        static func == (left: Target, right: Target) -> Bool {
            left.schema == right.schema && left.attribute == right.attribute && left.selector?.key == right.selector?.key
                && left.selector?.value == right.selector?.value && left.subAttribute == right.subAttribute
        }

        /// The member of the resource this target changes: the attribute, or the extension's object.
        var topLevel: String { schema ?? attribute }
    }

    var entries: [(path: String, target: Target, value: JSONTemplate)]

    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    /// What Warden sets itself or the server owns.
    static let reserved: Set<String> = ["id", "externalid", "meta", "schemas", "groups"]

    /// Parses `mapping`; throws the violations `violations(_:field:)` reports.
    init(_ mapping: [String: String]) throws(APIError) {
        var entries: [(path: String, target: Target, value: JSONTemplate)] = []
        var violations: [APIError.FieldViolation] = []
        for (path, source) in mapping.sorted(by: { $0.key < $1.key }) {
            let field = "attribute_mapping.\(path)"
            var target: Target?
            do {
                target = try Self.target(path)
            } catch {
                violations.append(.init(field: field, description: "\(field): \(error.description)"))
            }
            do {
                let value = try JSONTemplate(parsing: .string(source))
                if let target { entries.append((path, target, value)) }
            } catch {
                violations.append(.init(field: field, description: "\(field) is not a valid template: \(error.error.description)"))
            }
        }
        if !mapping.keys.contains("userName") {
            violations.append(.init(field: "attribute_mapping.userName", description: "attribute_mapping must map userName (e.g. \"{email}\"): every SCIM User has one"))
        }
        guard violations.isEmpty else { throw Connector.invalid(violations) }
        self.entries = entries
    }

    /// Every problem with `mapping`, by field (`attribute_mapping.<path>`).
    static func violations(_ mapping: [String: String], field: String) -> [APIError.FieldViolation] {
        do {
            _ = try SCIMAttributeMapping(mapping)
            return []
        } catch {
            return error.fieldViolations
        }
    }

    /// The parsed target of `path`, or why it is not one.
    static func target(_ path: String) throws(TemplateError) -> Target {
        var rest = Substring(path)
        var schema: String?
        if path.lowercased().hasPrefix("urn:") {
            guard let colon = path.lastIndex(of: ":"), colon < path.index(before: path.endIndex) else {
                throw TemplateError("\"\(path)\" names a schema but no attribute; write URN:attribute")
            }
            schema = String(path[..<colon])
            rest = path[path.index(after: colon)...]
            if schema?.lowercased() == userSchema.lowercased() { schema = nil }
        }
        func name(_ text: Substring) throws(TemplateError) -> String {
            guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
                  text.unicodeScalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "_" || $0 == "-" || $0 == "$" })
            else { throw TemplateError("\"\(text)\" is not a SCIM attribute name in \"\(path)\"") }
            return String(text)
        }
        var selector: (key: String, value: String)?
        var attributePart = rest
        var subPart: Substring?
        if let open = rest.firstIndex(of: "[") {
            guard let close = rest.lastIndex(of: "]"), close > open else { throw TemplateError("\"\(path)\" has a [ without its ]") }
            attributePart = rest[..<open]
            let filter = rest[rest.index(after: open)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix("."), after.count > 1 else {
                throw TemplateError("\"\(path)\" must name the sub-attribute of the element it selects, as in emails[type eq \"work\"].value")
            }
            subPart = after.dropFirst()
            let parts = filter.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count == 3, parts[1].lowercased() == "eq", parts[2].count >= 2, parts[2].hasPrefix("\""), parts[2].hasSuffix("\"") else {
                throw TemplateError("the selector [\(filter)] of \"\(path)\" must be one equality like [type eq \"work\"]")
            }
            selector = (key: try name(parts[0]), value: String(parts[2].dropFirst().dropLast()))
        } else if let dot = rest.firstIndex(of: ".") {
            attributePart = rest[..<dot]
            subPart = rest[rest.index(after: dot)...]
        }
        let attribute = try name(attributePart)
        var subAttribute: String?
        if let subPart { subAttribute = try name(subPart) }
        if schema == nil, reserved.contains(attribute.lowercased()) {
            throw TemplateError("\(attribute) cannot be mapped: Warden sets externalId to the identity's id, and id, meta, schemas and groups are the server's")
        }
        return Target(schema: schema, attribute: attribute, selector: selector, subAttribute: subAttribute)
    }

    /// The mapped values for `context`; a template that cannot render (an attribute the identity
    /// lacks) is left out and named in `missing`.
    func render(_ context: TemplateContext) -> (values: [(target: Target, value: JSONValue)], missing: [String]) {
        var values: [(target: Target, value: JSONValue)] = []
        var missing: [String] = []
        for entry in entries {
            do {
                values.append((entry.target, try entry.value.render(context)))
            } catch {
                missing.append("\(entry.path): \(error.description)")
            }
        }
        return (values, missing)
    }

    /// `resource` with `values` written in, leaving every other attribute as it was; the extensions
    /// written are added to `schemas`.
    static func merge(_ values: [(target: Target, value: JSONValue)], into resource: [String: JSONValue]) -> [String: JSONValue] {
        var resource = resource
        for (target, value) in values {
            if let schema = target.schema {
                var members = resource[schema]?.objectMembers ?? [:]
                write(value, target, into: &members)
                resource[schema] = .object(members)
                var schemas = resource["schemas"]?.arrayElements ?? [.string(userSchema)]
                if !schemas.contains(.string(schema)) { schemas.append(.string(schema)) }
                resource["schemas"] = .array(schemas)
            } else {
                write(value, target, into: &resource)
            }
        }
        return resource
    }

    private static func write(_ value: JSONValue, _ target: Target, into members: inout [String: JSONValue]) {
        let key = members.keys.first { $0.lowercased() == target.attribute.lowercased() } ?? target.attribute
        guard let sub = target.subAttribute else {
            members[key] = value
            return
        }
        guard let selector = target.selector else {
            var object = members[key]?.objectMembers ?? [:]
            object[object.keys.first { $0.lowercased() == sub.lowercased() } ?? sub] = value
            members[key] = .object(object)
            return
        }
        var elements = members[key]?.arrayElements ?? []
        let index = elements.firstIndex { element in
            guard case .string(let text)? = element.objectMembers?.first(where: { $0.key.lowercased() == selector.key.lowercased() })?.value
            else { return false }
            return text.lowercased() == selector.value.lowercased()
        }
        if let index {
            var object = elements[index].objectMembers ?? [:]
            object[object.keys.first { $0.lowercased() == sub.lowercased() } ?? sub] = value
            elements[index] = .object(object)
        } else {
            elements.append(.object([selector.key: .string(selector.value), sub: value]))
        }
        members[key] = .array(elements)
    }
}

extension JSONValue {
    /// The members of an object; nil for anything else.
    var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// The elements of an array; nil for anything else.
    var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }
}
