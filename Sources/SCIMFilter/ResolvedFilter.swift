/// A filter checked against a `FieldCatalog`: fields found, operators allowed and literals converted to
/// the stored form. The evaluator and the SQL compiler both work from this one form, so they agree.
///
/// `and`/`or` chains are flattened, so walking it recurses only as deep as the filter nests.
indirect enum ResolvedFilter {
    case all([ResolvedFilter])
    case any([ResolvedFilter])
    case not(ResolvedFilter)
    case test(ResolvedTest)
    /// `field[filter]` on a string array: some element satisfies `filter`, whose tests are on the element.
    case elements(CatalogField, ResolvedFilter)
}
