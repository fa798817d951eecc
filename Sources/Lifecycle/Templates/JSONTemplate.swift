import SCIMFilter

/// A JSON body whose every string is a template. A string that is exactly one `{path}` without
/// functions renders to the referenced value with its JSON type (number, boolean, object...); other
/// strings render to strings. Object keys are literal; members render in key order, so the first
/// error is always the same one.
public indirect enum JSONTemplate: Sendable {
    case literal(JSONValue)
    case text(Template)
    case value(TemplatePath)
    case array([JSONTemplate])
    case object([(key: String, value: JSONTemplate)])

    /// Parses every string of `json`; a parse error names where in the JSON it is (`.user.emails[0]`).
    public init(parsing json: JSONValue) throws(JSONTemplateError) {
        self = try Self.parse(json, at: "")
    }

    private static func parse(_ json: JSONValue, at location: String) throws(JSONTemplateError) -> JSONTemplate {
        switch json {
        case .null, .bool, .number:
            return .literal(json)
        case .string(let text):
            let template: Template
            do {
                template = try Template(parsing: text)
            } catch {
                throw JSONTemplateError(location: location, error: error)
            }
            if let path = template.soleReference { return .value(path) }
            if case .literal(let literal)? = template.segments.first, template.segments.count == 1 { return .literal(.string(literal)) }
            return template.segments.isEmpty ? .literal(.string("")) : .text(template)
        case .array(let elements):
            var parsed: [JSONTemplate] = []
            for (offset, element) in elements.enumerated() {
                parsed.append(try parse(element, at: "\(location)[\(offset)]"))
            }
            return .array(parsed)
        case .object(let members):
            var parsed: [(key: String, value: JSONTemplate)] = []
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                parsed.append((key, try parse(member, at: "\(location).\(key)")))
            }
            return .object(parsed)
        }
    }

    /// The identity attributes referenced anywhere in the body.
    public var references: Set<String> { paths.attributeNames }

    /// The earlier actions whose outputs are referenced anywhere in the body.
    public var actionReferences: Set<String> { paths.actionNames }

    /// Every path referenced anywhere in the body.
    var paths: [TemplatePath] {
        switch self {
        case .literal: []
        case .text(let template): template.paths
        case .value(let path): [path]
        case .array(let elements): elements.flatMap(\.paths)
        case .object(let members): members.flatMap(\.value.paths)
        }
    }

    /// The body with every template rendered.
    public func render(_ context: TemplateContext) throws(TemplateError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .text(let template):
            return .string(try template.render(context))
        case .value(let path):
            return try context.value(of: path)
        case .array(let elements):
            var rendered: [JSONValue] = []
            rendered.reserveCapacity(elements.count)
            for element in elements {
                rendered.append(try element.render(context))
            }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            rendered.reserveCapacity(members.count)
            for (key, member) in members {
                rendered[key] = try member.render(context)
            }
            return .object(rendered)
        }
    }
}

/// A template in a JSON body that does not parse, and where it is.
public struct JSONTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the body: `.user.name`, `[0]`, or empty for the body itself.
    public var location: String
    public var error: TemplateError

    public var description: String {
        location.isEmpty ? error.description : "\(location): \(error.description)"
    }
}
