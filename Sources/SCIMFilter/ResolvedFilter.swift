/// A filter checked against a `FieldCatalog`: fields found, operators allowed and literals converted to
/// the stored form. The evaluator and the SQL compiler both work from this one form, so they agree.
///
/// `and`/`or` chains are flattened, so walking it recurses only as deep as the filter nests.
indirect enum ResolvedFilter {
    case all([ResolvedFilter])
    case any([ResolvedFilter])
    case not(ResolvedFilter)
    case test(ResolvedTest)
    /// A test whose outcome is known without looking at the record (a member of an open object that
    /// no record has).
    case constant(Bool)
    /// `field[filter]` on a string array: some element satisfies `filter`, whose tests are on the element.
    case elements(CatalogField, ResolvedFilter)
}
