import SCIMFilter

/// A PATCH operation's `path` (RFC 7644 §3.5.2): an attribute, optionally of an extension schema,
/// with an optional value filter and sub-attribute, as in `emails[type eq "work"].value` or
/// `members[value eq "2819c223"]`.
struct SCIMPath: Sendable {
    /// The extension schema the attribute belongs to; nil for the core schema.
    var extensionURN: String?
    var attribute: SCIMAttribute
    var filter: FilterExpression?
    var subAttribute: SCIMAttribute?

    /// Parses `text` against `type`'s schemas; a path naming no attribute is an invalidPath 400.
    init(_ text: String, type: SCIMResourceType) throws(SCIMError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var schema = type.schema
        for candidate in [type.schema] + type.extensions where rest.lowercased().hasPrefix(candidate.id.lowercased() + ":") {
            rest = rest.dropFirst(candidate.id.count + 1)
            schema = candidate
        }
        extensionURN = schema.id == type.schema.id ? nil : schema.id
        var filterText: Substring?
        var subText: Substring?
        if let open = rest.firstIndex(of: "[") {
            guard let close = Self.closingBracket(in: rest, after: open) else { throw .badRequest(.invalidPath, "the path \(text) has an unclosed [") }
            filterText = rest[rest.index(after: open)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == "." else { throw .badRequest(.invalidPath, "the path \(text) has text after ] that is not .subAttribute") }
                subText = after.dropFirst()
            }
            rest = rest[..<open]
        } else if let dot = rest.firstIndex(of: ".") {
            subText = rest[rest.index(after: dot)...]
            rest = rest[..<dot]
        }
        guard let attribute = schema.attribute(String(rest)) ?? (extensionURN == nil && rest.lowercased() == "externalid" ? .externalID : nil) else {
            throw .badRequest(.invalidPath, "the path \(text) names no attribute of \(schema.id)")
        }
        self.attribute = attribute
        if let subText {
            guard let sub = attribute.subAttribute(String(subText)) else {
                throw .badRequest(.invalidPath, "the path \(text): \(attribute.name) has no sub-attribute \"\(subText)\"")
            }
            subAttribute = sub
        }
        if let filterText {
            guard attribute.multiValued else { throw .badRequest(.invalidPath, "the path \(text) filters \(attribute.name), which is not multi-valued") }
            do {
                filter = try Filter.parse(String(filterText))
            } catch {
                throw .badRequest(.invalidPath, "the path \(text) has a bad filter: \(error.message)")
            }
        }
    }

    /// Where the `]` matching the `[` at `open` is, outside string literals.
    private static func closingBracket(in text: Substring, after open: Substring.Index) -> Substring.Index? {
        var inString = false
        var escaped = false
        var index = text.index(after: open)
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = inString
            } else if character == "\"" {
                inString.toggle()
            } else if character == "]", !inString {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }
}
