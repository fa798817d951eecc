extension AttributePath: CustomStringConvertible {
    /// The path as written in a filter: `[urn:]name[.sub]`.
    public var description: String {
        guard let schemaURN else { return dottedName }
        return schemaURN + ":" + dottedName
    }
}
