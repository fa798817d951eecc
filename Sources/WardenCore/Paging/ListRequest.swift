import SCIMFilter

/// The raw list parameters as the client sent them.
public struct ListParameters: Sendable, Equatable {
    public var filter: String?
    public var orderBy: String?
    public var pageSize: String?
    public var pageToken: String?

    public init(filter: String? = nil, orderBy: String? = nil, pageSize: String? = nil, pageToken: String? = nil) {
        self.filter = filter
        self.orderBy = orderBy
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

/// A validated list request: its filter, order, page size and keyset position.
///
/// Everything is checked here, before the database is touched, and each problem is a 400 naming
/// the parameter.
public struct ListRequest: Sendable {
    public let spec: ListSpec
    public let filter: FilterExpression?
    public let sortKeys: [SortKey]
    public let pageSize: Int
    public let cursor: [CursorValue]?
    let binding: String
    /// Whether the SQL reads at most `pageSize + 1` rows; false when every row streams (`Database.readAll`).
    var isLimited = true

    public init(_ spec: ListSpec, _ parameters: ListParameters, signer: PageTokenSigner) throws(APIError) {
        self.spec = spec
        self.filter = try Self.parseFilter(parameters.filter, catalog: spec.catalog)
        self.sortKeys = try spec.sortKeys(orderBy: parameters.orderBy)
        self.pageSize = try Self.parsePageSize(parameters.pageSize, default: spec.defaultPageSize, maximum: spec.maximumPageSize)
        self.binding = PageTokenSigner.binding(
            list: spec.name,
            filter: filter?.description ?? "",
            order: sortKeys.map(\.canonical).joined(separator: ",")
        )
        if let token = parameters.pageToken, !token.isEmpty {
            let cursor = try signer.open(token, binding: binding)
            guard cursor.count == sortKeys.count else {
                throw .invalidArgument("page_token", "page_token does not match this list's order; drop page_token to start over")
            }
            self.cursor = cursor
        } else {
            self.cursor = nil
        }
    }

    init(spec: ListSpec, filter: FilterExpression?, sortKeys: [SortKey], pageSize: Int, cursor: [CursorValue]?, binding: String) {
        self.spec = spec
        self.filter = filter
        self.sortKeys = sortKeys
        self.pageSize = pageSize
        self.cursor = cursor
        self.binding = binding
    }

    /// Parses and checks a filter against a catalog; blank means no filter. Errors name `parameter`.
    public static func parseFilter(_ text: String?, catalog: FieldCatalog, parameter: String = "filter") throws(APIError) -> FilterExpression? {
        guard let text, !text.allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        do {
            let expression = try Filter.parse(text)
            try catalog.validate(expression)
            return expression
        } catch {
            throw .invalidArgument(error.field.map { "\(parameter).\($0)" } ?? parameter, "invalid \(parameter): \(error.message)")
        }
    }

    static func parsePageSize(_ text: String?, default defaultSize: Int, maximum: Int) throws(APIError) -> Int {
        guard let text, !text.isEmpty else { return defaultSize }
        guard let size = Int(text) else {
            throw .invalidArgument("page_size", "page_size must be a whole number from 1 to \(maximum), got \"\(text.prefix(40))\"")
        }
        guard (1...maximum).contains(size) else {
            throw .invalidArgument("page_size", "page_size must be from 1 to \(maximum), got \(size)")
        }
        return size
    }

    /// The select-list entries that expose the sort keys, last in each row, to build the next token.
    public var sortKeyColumns: String {
        sortKeys.map { ", \($0.field.column)" }.joined()
    }

    /// Appends `WHERE <scope> AND <filter> AND <after cursor> ORDER BY … LIMIT pageSize + 1`.
    ///
    /// `scope` appends an extra condition of the caller's own, such as a parent id.
    public func appendClauses(to sql: inout SQLText, scope: ((inout SQLText) -> Void)? = nil) throws(APIError) {
        var hasWhere = false
        func open(_ sql: inout SQLText) {
            sql.append(hasWhere ? " AND (" : " WHERE (")
            hasWhere = true
        }
        if let scope {
            open(&sql)
            scope(&sql)
            sql.append(")")
        }
        if let filter {
            open(&sql)
            let compiler = SQLCompiler(catalog: spec.catalog, dialect: sql.kind.filterDialect)
            do {
                sql.append(try compiler.compile(filter, firstPlaceholder: sql.nextPlaceholder))
            } catch {
                throw .invalidArgument("filter", "invalid filter: \(error.message)")
            }
            sql.append(")")
        }
        if let cursor {
            open(&sql)
            appendAfter(cursor, to: &sql)
            sql.append(")")
        }
        sql.append(" ORDER BY ")
        sql.append(sortKeys.map { "\($0.field.column) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", "))
        if isLimited { sql.append(" LIMIT \(pageSize + 1)") }
    }

    /// Rows strictly after `cursor` in this order. When no key can be NULL and all run one way, this
    /// is one row-value comparison, which both databases answer with an index range.
    private func appendAfter(_ cursor: [CursorValue], to sql: inout SQLText) {
        let noNulls = zip(sortKeys, cursor).allSatisfy { !$0.field.nullable && $1 != .null }
        guard noNulls, sortKeys.allSatisfy({ $0.descending == sortKeys[0].descending }) else {
            appendAfter(cursor, key: 0, to: &sql)
            return
        }
        sql.append("(\(sortKeys.map(\.field.column).joined(separator: ", "))) \(sortKeys[0].descending ? "<" : ">") (")
        sql.append(binds: cursor.map(\.databaseValue))
        sql.append(")")
    }

    /// Rows strictly after `cursor` from key `index` on, one key at a time; NULLs sort as each database
    /// sorts them natively (lowest in SQLite, highest in PostgreSQL), so its indexes serve the order.
    private func appendAfter(_ cursor: [CursorValue], key index: Int, to sql: inout SQLText) {
        let key = sortKeys[index]
        let column = key.field.column
        let nullsFirst = key.descending != (sql.kind == .sqlite)
        let value = cursor[index].databaseValue
        sql.append("(")
        if value != .null {
            let comparison = key.descending ? "<" : ">"
            if nullsFirst || !key.field.nullable {
                sql.append("\(column) \(comparison) ")
                sql.append(bind: value)
            } else {
                sql.append("(\(column) \(comparison) ")
                sql.append(bind: value)
                sql.append(" OR \(column) IS NULL)")
            }
        } else {
            sql.append(nullsFirst ? "\(column) IS NOT NULL" : "1 = 0")
        }
        if index + 1 < sortKeys.count {
            sql.append(" OR (")
            if value != .null {
                sql.append("\(column) = ")
                sql.append(bind: value)
            } else {
                sql.append("\(column) IS NULL")
            }
            sql.append(" AND ")
            appendAfter(cursor, key: index + 1, to: &sql)
            sql.append(")")
        }
        sql.append(")")
    }

    /// The sort key values of a row selected with `sortKeyColumns` (its last columns).
    func cursor(of row: DatabaseRow) -> [CursorValue] {
        zip(sortKeys, row.values.suffix(sortKeys.count)).map { CursorValue($1, type: $0.field.type) }
    }

    /// Turns up to `pageSize + 1` fetched rows into a page, with a token for the next one.
    public func page<Value: Encodable & Sendable>(
        _ rows: [DatabaseRow], signer: PageTokenSigner, decode: (DatabaseRow) throws -> Value
    ) throws -> ListPage<Value> {
        let window = window(rows, signer: signer)
        return ListPage(values: try window.rows.map(decode), nextPageToken: window.nextPageToken, hasMore: window.hasMore)
    }

    /// The page's rows of up to `pageSize + 1` fetched ones, with the token for the next page.
    public func window(_ rows: [DatabaseRow], signer: PageTokenSigner) -> (rows: ArraySlice<DatabaseRow>, nextPageToken: String, hasMore: Bool) {
        let window = window(count: rows.count, signer: signer) { rows[$0] }
        return (rows.prefix(pageSize), window.nextPageToken, window.hasMore)
    }

    /// The page's rows of up to `pageSize + 1` in `batch`, with the token for the next page; only the
    /// last row of the page is read as values.
    public func window(_ batch: RowBatch, signer: PageTokenSigner) -> (rows: Range<Int>, nextPageToken: String, hasMore: Bool) {
        window(count: batch.count, signer: signer) { batch.row($0) }
    }

    private func window(
        count: Int, signer: PageTokenSigner, row: (Int) -> DatabaseRow
    ) -> (rows: Range<Int>, nextPageToken: String, hasMore: Bool) {
        let rows = 0..<min(count, pageSize)
        guard count > pageSize, let last = rows.last else { return (rows, "", false) }
        return (rows, signer.issue(binding: binding, cursor: cursor(of: row(last))), true)
    }
}

/// The list envelope: `{"values": [...], "next_page_token": "...", "has_more": bool}`.
public struct ListPage<Value: Encodable & Sendable>: Encodable, Sendable {
    public var values: [Value]
    public var nextPageToken: String
    public var hasMore: Bool

    public init(values: [Value], nextPageToken: String, hasMore: Bool) {
        self.values = values
        self.nextPageToken = nextPageToken
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case values
        case nextPageToken = "next_page_token"
        case hasMore = "has_more"
    }
}
