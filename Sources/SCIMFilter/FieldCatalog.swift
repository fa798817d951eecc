/// The fields a list can be filtered on; the filter language's view of a table.
public struct FieldCatalog: Sendable {
    /// The fields, in the order given (the order used when listing them in errors).
    public let fields: [CatalogField]
    /// Object-valued fields whose members vary by record (`source` of an access review row). A member
    /// of one that is not among `fields` (`source.nickname`) is valid in filters and absent from every
    /// record: it matches `eq null`, `ne`, and nothing else.
    public let openObjects: [String]
    private let indexByFoldedName: [String: Int]

    /// Creates a catalog; field names must be unique ignoring ASCII case.
    public init(_ fields: [CatalogField], openObjects: [String] = []) {
        var index: [String: Int] = [:]
        for (position, field) in fields.enumerated() {
            let key = ByteText.asciiLowercased(field.name)
            precondition(index[key] == nil, "duplicate catalog field \"\(field.name)\"")
            index[key] = position
        }
        self.fields = fields
        self.openObjects = openObjects
        indexByFoldedName = index
    }

    /// The field with this wire name, ignoring ASCII case.
    public func field(named name: String) -> CatalogField? {
        indexByFoldedName[ByteText.asciiLowercased(name)].map { fields[$0] }
    }

    /// Whether `path` names a member of one of `openObjects` (`source.nickname`).
    func isOpenMember(_ path: AttributePath) -> Bool {
        path.subAttribute != nil && openObjects.contains { ByteText.equalIgnoringASCIICase($0, path.name) }
    }
}
