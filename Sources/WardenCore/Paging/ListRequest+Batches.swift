import SCIMFilter

extension ListRequest {
    /// A request that walks the whole filtered, ordered list in batches of `batchSize`, for exports:
    /// filter and order are validated exactly as the list validates them.
    public static func batches(_ spec: ListSpec, filter: String?, orderBy: String?, batchSize: Int) throws(APIError) -> ListRequest {
        let filter = try parseFilter(filter, catalog: spec.catalog)
        let sortKeys = try spec.sortKeys(orderBy: orderBy)
        return ListRequest(spec: spec, filter: filter, sortKeys: sortKeys, pageSize: batchSize, cursor: nil, binding: "")
    }

    /// The same request, continuing after `row` (a row selected with `sortKeyColumns`).
    public func continuing(after row: DatabaseRow) -> ListRequest {
        ListRequest(spec: spec, filter: filter, sortKeys: sortKeys, pageSize: pageSize, cursor: cursor(of: row), binding: binding)
    }
}
