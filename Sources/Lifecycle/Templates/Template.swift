import SCIMFilter

/// A string with `{path}` references and `| FUNCTION, "argument"` pipes (Veza's attribute
/// transformers), parsed once and rendered many times. `{{` and `}}` write literal braces.
///
/// `{email | REMOVE_DOMAIN | LOWER}@example.com` renders an identity whose `email` is
/// `Ann.Lee@corp.example` as `ann.lee@example.com`.
public struct Template: Sendable, Hashable {
    /// One piece of a template: literal text, or a reference with the functions piped after it.
    enum Segment: Sendable, Hashable {
        case literal(String)
        case reference(TemplatePath, [TemplateFunction])
    }

    /// The text the template was parsed from.
    public let source: String
    let segments: [Segment]

    public init(parsing source: String) throws(TemplateError) {
        var parser = TemplateParser(source)
        self.source = source
        segments = try parser.parseSegments()
    }

    private init(source: String, segments: [Segment]) {
        self.source = source
        self.segments = segments
    }

    /// The empty template, which renders as "".
    static let empty = Template(source: "", segments: [])

    /// The identity attributes referenced, dotted as written (`manager.email`).
    public var references: Set<String> { paths.attributeNames }

    /// The names of the earlier actions whose outputs are referenced (`actions.NAME...`).
    public var actionReferences: Set<String> { paths.actionNames }

    /// Every path referenced, in order.
    var paths: [TemplatePath] {
        segments.compactMap { if case .reference(let path, _) = $0 { path } else { nil } }
    }

    /// When the template is exactly one reference without functions, its path: a JSON body renders it
    /// as the referenced value with its JSON type.
    var soleReference: TemplatePath? {
        guard segments.count == 1, case .reference(let path, let functions) = segments[0], functions.isEmpty else { return nil }
        return path
    }

    /// The template with every reference replaced by its value, transformed by its functions; throws
    /// naming a referenced attribute or output the context lacks.
    public func render(_ context: TemplateContext) throws(TemplateError) -> String {
        var text = ""
        for segment in segments {
            switch segment {
            case .literal(let literal):
                text += literal
            case .reference(let path, let functions):
                var value = Self.text(of: try context.value(of: path))
                for function in functions {
                    value = function.apply(value)
                }
                text += value
            }
        }
        return text
    }

    /// A JSON value as template text: strings as they are, whole numbers without a fraction, null as
    /// nothing, arrays and objects as JSON.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): Int64(exactly: number).map(String.init) ?? "\(number)"
        case .array, .object: value.jsonText
        }
    }
}
