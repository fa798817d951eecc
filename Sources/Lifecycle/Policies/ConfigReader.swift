import SCIMFilter
import WardenCore

/// Walks a JSON document and collects every problem as a field violation (`config.actions[2].name`)
/// instead of stopping at the first, so one 400 can list them all.
struct ConfigReader {
    private(set) var violations: [APIError.FieldViolation] = []

    /// The field name of member `key` of the object at `path` (the body itself when `path` is empty).
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    mutating func report(_ field: String, _ message: String) {
        violations.append(APIError.FieldViolation(field: field, description: message))
    }

    /// The members of the object at `path`; reports a value that is not an object, and each member
    /// not in `allowed` (null members count as absent). Absent or null gives an empty object.
    mutating func object(_ value: JSONValue?, at path: String, allowed: [String], what: String) -> [String: JSONValue] {
        switch value {
        case nil, .null?:
            return [:]
        case .object(let members)?:
            for (key, member) in members.sorted(by: { $0.key < $1.key }) where !allowed.contains(key) && member != .null {
                report(Self.join(path, key), "\(key) is not a field of \(what); its fields are \(allowed.joined(separator: ", "))")
            }
            return members.filter { $0.value != .null }
        default:
            report(path.isEmpty ? "body" : path, "\(path.isEmpty ? "the body" : path) must be an object")
            return [:]
        }
    }

    /// The members of an object whose member names are free (headers, say); reports a value that is not an object.
    mutating func members(_ value: JSONValue?, at path: String) -> [String: JSONValue] {
        switch value {
        case nil, .null?:
            return [:]
        case .object(let members)?:
            return members
        default:
            report(path.isEmpty ? "body" : path, "\(path.isEmpty ? "the body" : path) must be an object")
            return [:]
        }
    }

    /// A string member; reports another type, and absence or emptiness when `required`.
    mutating func string(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool = false) -> String? {
        switch object[key] {
        case nil:
            if required { report(Self.join(path, key), "\(Self.join(path, key)) is required") }
            return nil
        case .string(let text)?:
            if required, text.isEmpty { report(Self.join(path, key), "\(Self.join(path, key)) is required and must not be empty") }
            return text
        default:
            report(Self.join(path, key), "\(Self.join(path, key)) must be a string")
            return nil
        }
    }

    /// A boolean member: `true`/`false` or the strings `"true"`/`"false"`.
    mutating func bool(_ object: [String: JSONValue], _ key: String, at path: String) -> Bool? {
        switch object[key] {
        case nil: return nil
        case .bool(let flag)?: return flag
        case .string(let text)? where text.lowercased() == "true": return true
        case .string(let text)? where text.lowercased() == "false": return false
        default:
            report(Self.join(path, key), "\(Self.join(path, key)) must be true or false")
            return nil
        }
    }

    /// A whole-number member.
    mutating func integer(_ object: [String: JSONValue], _ key: String, at path: String) -> Int? {
        guard let value = object[key] else { return nil }
        guard case .number(let number) = value, let integer = Int(exactly: number) else {
            report(Self.join(path, key), "\(Self.join(path, key)) must be a whole number")
            return nil
        }
        return integer
    }

    /// An array member; absent gives an empty array.
    mutating func array(_ object: [String: JSONValue], _ key: String, at path: String) -> [JSONValue] {
        switch object[key] {
        case nil: return []
        case .array(let elements)?: return elements
        default:
            report(Self.join(path, key), "\(Self.join(path, key)) must be an array")
            return []
        }
    }

    /// An array of strings; each element that is not a string is reported.
    mutating func strings(_ object: [String: JSONValue], _ key: String, at path: String) -> [String] {
        array(object, key, at: path).enumerated().compactMap { offset, element in
            guard case .string(let text) = element else {
                report("\(Self.join(path, key))[\(offset)]", "\(Self.join(path, key))[\(offset)] must be a string")
                return nil
            }
            return text
        }
    }

    /// An enum member, by name (any letter case) or number.
    mutating func wireEnum<Value: WireEnum>(_ type: Value.Type, _ object: [String: JSONValue], _ key: String, at path: String) -> Value? {
        let value: Value?
        switch object[key] {
        case nil: return nil
        case .string(let name)?: value = Value(name: name)
        case .number(let number)?: value = Int(exactly: number).flatMap { Value(number: $0) }
        default: value = nil
        }
        if value == nil {
            report(Self.join(path, key), "\(Self.join(path, key)) must be one of \(Value.allowedNames)")
        }
        return value
    }

    /// A SCIM filter member, parsed; reports the parser's message. Absent or empty gives nil.
    mutating func filter(_ object: [String: JSONValue], _ key: String, at path: String) -> FilterExpression? {
        guard let text = string(object, key, at: path), !text.isEmpty else { return nil }
        do {
            return try Filter.parse(text)
        } catch {
            report(Self.join(path, key), "\(Self.join(path, key)) is not a valid filter: \(error.message)")
            return nil
        }
    }

    /// A template member, parsed; reports the parse error with its position.
    mutating func template(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool = false) -> Template? {
        guard let text = string(object, key, at: path, required: required) else { return nil }
        return template(text, at: "\(Self.join(path, key))")
    }

    /// `text` parsed as a template; reports the parse error with its position.
    mutating func template(_ text: String, at field: String) -> Template? {
        do {
            return try Template(parsing: text)
        } catch {
            report(field, "\(field) is not a valid template: \(error.description)")
            return nil
        }
    }

    /// A JSON body whose strings are templates; reports the first parse error with where it is.
    mutating func jsonTemplate(_ value: JSONValue, at field: String) -> JSONTemplate? {
        do {
            return try JSONTemplate(parsing: value)
        } catch {
            report(field + error.location, "\(field + error.location) is not a valid template: \(error.error.description)")
            return nil
        }
    }
}
