/// The fields a list can be filtered on; the filter language's view of a table.
public struct FieldCatalog: Sendable {
    /// The fields, in the order given (the order used when listing them in errors).
    public let fields: [CatalogField]
    private let indexByFoldedName: [String: Int]

    /// Creates a catalog; field names must be unique ignoring ASCII case.
    public init(_ fields: [CatalogField]) {
        var index: [String: Int] = [:]
        for (position, field) in fields.enumerated() {
            let key = ByteText.asciiLowercased(field.name)
            precondition(index[key] == nil, "duplicate catalog field \"\(field.name)\"")
            index[key] = position
        }
        self.fields = fields
        indexByFoldedName = index
    }

    /// The field with this wire name, ignoring ASCII case.
    public func field(named name: String) -> CatalogField? {
        indexByFoldedName[ByteText.asciiLowercased(name)].map { fields[$0] }
    }
}
