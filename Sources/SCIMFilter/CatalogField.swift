/// A filterable (and possibly sortable) field of a list: its wire name, SQL column, type and operators.
public struct CatalogField: Hashable, Sendable {
    /// The wire name, matched case-insensitively; it may contain a dot (`source.name`).
    public var name: String
    /// The SQL expression of the stored value.
    public var column: String
    /// The type of the stored value.
    public var type: FieldType
    /// The operators filters may use on the field (`ne` is separate from `eq`; `eq null` needs `eq`).
    public var operators: Set<FilterOperator>
    /// Whether strings compare exactly; otherwise ASCII letters compare case-insensitively.
    public var caseExact: Bool
    /// Whether the field may be used to order a list.
    public var sortable: Bool
    /// Whether the stored value may be NULL; lists sorted by NOT NULL fields page without NULL checks.
    public var nullable: Bool

    /// Creates a field; `column` defaults to `name`.
    public init(
        _ name: String, column: String? = nil, type: FieldType, operators: Set<FilterOperator>,
        caseExact: Bool = false, sortable: Bool = false, nullable: Bool = true
    ) {
        self.name = name
        self.column = column ?? name
        self.type = type
        self.operators = operators
        self.caseExact = caseExact
        self.sortable = sortable
        self.nullable = nullable
    }
}
