/// An attribute path: an optional schema URN, an attribute name and at most one sub-attribute.
///
/// Names keep the spelling they were written with; comparisons of names elsewhere are case-insensitive.
public struct AttributePath: Hashable, Sendable {
    /// The schema URN prefix, such as `urn:ietf:params:scim:schemas:core:2.0:User`, when one was written.
    public var schemaURN: String?
    /// The attribute name, as written.
    public var name: String
    /// The sub-attribute name (`familyName` in `name.familyName`), as written.
    public var subAttribute: String?

    /// Creates a path from its parts.
    public init(schemaURN: String? = nil, name: String, subAttribute: String? = nil) {
        self.schemaURN = schemaURN
        self.name = name
        self.subAttribute = subAttribute
    }

    /// Creates a path from `name` or `name.sub` (split at the first dot), without a schema URN.
    public init(_ dottedName: String) {
        if let dot = dottedName.utf8.firstIndex(of: UInt8(ascii: ".")) {
            name = String(dottedName[..<dot])
            subAttribute = String(dottedName[dottedName.index(after: dot)...])
        } else {
            name = dottedName
        }
    }

    /// `name` or `name.sub`, without the schema URN.
    public var dottedName: String {
        guard let subAttribute else { return name }
        return name + "." + subAttribute
    }
}
