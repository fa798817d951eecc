import SCIMFilter

/// A PATCH request (RFC 7644 §3.5.2): operations that add, replace and remove attributes, each
/// with an optional path such as `members[value eq "…"]` or `emails[type eq "work"].value`.
struct SCIMPatch: Sendable {
    enum Operation: String, Sendable {
        case add, replace, remove
    }

    struct Step: Sendable {
        var operation: Operation
        var path: String?
        var value: JSONValue?
    }

    var steps: [Step]

    /// Reads a PatchOp body; anything malformed is an invalidSyntax 400.
    init(_ body: JSONValue) throws(SCIMError) {
        guard case .object(let object) = body else { throw .badRequest(.invalidSyntax, "the body must be a PatchOp JSON object") }
        let members = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        guard case .array(let schemas)? = members["schemas"], schemas.contains(.string(SCIMSchema.patchURN)) else {
            throw .badRequest(.invalidSyntax, "schemas must be [\"\(SCIMSchema.patchURN)\"]")
        }
        guard case .array(let operations)? = members["operations"], !operations.isEmpty else {
            throw .badRequest(.invalidSyntax, "Operations must be a non-empty array")
        }
        steps = []
        for (index, operation) in operations.enumerated() {
            guard case .object(let fields) = operation else { throw .badRequest(.invalidSyntax, "Operations[\(index)] must be an object") }
            let lowered = Dictionary(fields.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            guard case .string(let name)? = lowered["op"], let op = Operation(rawValue: name.lowercased()) else {
                throw .badRequest(.invalidSyntax, "Operations[\(index)].op must be add, replace or remove")
            }
            var path: String?
            switch lowered["path"] {
            case .string(let text)?: path = text
            case nil, .null?: path = nil
            default: throw .badRequest(.invalidPath, "Operations[\(index)].path must be a string")
            }
            let value = lowered["value"].flatMap { $0 == .null ? nil : $0 }
            if op != .remove, value == nil { throw .badRequest(.invalidValue, "Operations[\(index)] (\(name)) needs a value") }
            if op == .remove, path == nil { throw .badRequest(.noTarget, "Operations[\(index)]: remove needs a path") }
            steps.append(Step(operation: op, path: path, value: value))
        }
    }

    /// `attributes` with every step applied in order.
    func applied(to attributes: [String: JSONValue], type: SCIMResourceType) throws(SCIMError) -> [String: JSONValue] {
        var attributes = attributes
        for step in steps {
            if let path = step.path, let extensionSchema = type.extensions.first(where: { $0.id.lowercased() == path.lowercased() }) {
                try Self.apply(step.operation, wholeExtension: extensionSchema, of: type, step.value, to: &attributes)
            } else if let path = step.path {
                try Self.apply(step.operation, SCIMPath(path, type: type), step.value, to: &attributes, pathText: path)
            } else {
                guard case .object(let values)? = step.value else {
                    throw .badRequest(.invalidValue, "\(step.operation.rawValue) without a path needs an object value")
                }
                for (name, value) in values {
                    if ["schemas", "meta"].contains(name.lowercased()) { continue }
                    if name.lowercased() == "id" { throw .badRequest(.mutability, "id is read-only") }
                    if name.lowercased() == "externalid" {
                        attributes["externalId"] = value
                        continue
                    }
                    if let extensionSchema = type.extensions.first(where: { $0.id.lowercased() == name.lowercased() }) {
                        try Self.apply(step.operation, wholeExtension: extensionSchema, of: type, value, to: &attributes)
                        continue
                    }
                    try Self.apply(step.operation, SCIMPath(name, type: type), value, to: &attributes, pathText: name)
                }
            }
        }
        return attributes
    }

    /// An operation whose path is an extension schema's URN: remove drops the extension, add and
    /// replace apply each member of the value to the extension's attribute of that name.
    private static func apply(
        _ operation: Operation, wholeExtension schema: SCIMSchema, of type: SCIMResourceType, _ value: JSONValue?, to attributes: inout [String: JSONValue]
    ) throws(SCIMError) {
        guard operation != .remove else {
            attributes[schema.id] = nil
            return
        }
        guard case .object(let members)? = value else { throw .badRequest(.invalidValue, "\(schema.id) needs an object value") }
        for (member, memberValue) in members where member.lowercased() != "schemas" {
            let path = "\(schema.id):\(member)"
            try apply(operation, SCIMPath(path, type: type), memberValue, to: &attributes, pathText: path)
        }
    }

    private static func apply(
        _ operation: Operation, _ path: SCIMPath, _ value: JSONValue?, to attributes: inout [String: JSONValue], pathText: String
    ) throws(SCIMError) {
        if path.attribute.mutability == .readOnly || path.subAttribute?.mutability == .readOnly {
            throw .badRequest(.mutability, "\(pathText) is read-only")
        }
        var container = attributes
        if let urn = path.extensionURN {
            if case .object(let members)? = attributes[urn] { container = members } else { container = [:] }
        }
        let name = path.attribute.name
        let current = container[name]
        container[name] = try updated(current, operation, path, value, pathText: pathText)
        if let urn = path.extensionURN {
            attributes[urn] = container.isEmpty ? nil : .object(container)
        } else {
            attributes = container
        }
    }

    /// The attribute's new value (nil: removed).
    private static func updated(_ current: JSONValue?, _ operation: Operation, _ path: SCIMPath, _ value: JSONValue?, pathText: String) throws(SCIMError) -> JSONValue? {
        let attribute = path.attribute
        if let filter = path.filter {
            guard case .array(let elements)? = current else { throw .badRequest(.noTarget, "\(pathText) matches no value: \(attribute.name) is empty") }
            var matched = false
            var result: [JSONValue] = []
            for element in elements {
                let matches: Bool
                do {
                    matches = try FilterEvaluator().matches(filter, element)
                } catch {
                    throw .badRequest(.invalidPath, "\(pathText): \(error.message)")
                }
                guard matches else {
                    result.append(element)
                    continue
                }
                matched = true
                if let changed = try changedElement(element, operation, path.subAttribute, value) { result.append(changed) }
            }
            guard matched else { throw .badRequest(.noTarget, "\(pathText) matches no value of \(attribute.name)") }
            return result.isEmpty ? nil : .array(result)
        }
        if let sub = path.subAttribute {
            if attribute.multiValued {
                guard case .array(let elements)? = current else {
                    if operation == .remove { return current }
                    throw .badRequest(.noTarget, "\(pathText): \(attribute.name) has no values to set \(sub.name) on")
                }
                var result: [JSONValue] = []
                for element in elements {
                    if let changed = try changedElement(element, operation, sub, value) { result.append(changed) }
                }
                return .array(result)
            }
            return try changedElement(current ?? [:], operation, sub, value).flatMap { $0 == [:] ? nil : $0 }
        }
        switch operation {
        case .remove:
            return nil
        case .add where attribute.multiValued:
            var elements: [JSONValue] = []
            if case .array(let existing)? = current { elements = existing }
            let added: [JSONValue] = if case .array(let values)? = value { values } else { value.map { [$0] } ?? [] }
            for element in added where !elements.contains(element) { elements.append(element) }
            return .array(elements)
        case .replace where attribute.multiValued:
            if case .array? = value { return value }
            return value.map { .array([$0]) }
        case .add, .replace:
            if attribute.type == .complex, case .object(var object)? = current, case .object(let changes)? = value {
                for (key, member) in changes { object[key] = member }
                return .object(object)
            }
            return value
        }
    }

    /// One element (or single complex value) after the operation; nil when it is removed whole.
    private static func changedElement(_ element: JSONValue, _ operation: Operation, _ sub: SCIMAttribute?, _ value: JSONValue?) throws(SCIMError) -> JSONValue? {
        guard let sub else {
            if operation == .remove { return nil }
            if case .object(var object) = element, case .object(let changes)? = value {
                for (key, member) in changes { object[key] = member }
                return .object(object)
            }
            return value
        }
        guard case .object(var object) = element else { throw .badRequest(.noTarget, "the value has no sub-attribute \(sub.name)") }
        object[sub.name] = operation == .remove ? nil : value
        return .object(object)
    }
}
