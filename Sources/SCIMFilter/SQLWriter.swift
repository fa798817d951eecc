/// Writes the SQL of a resolved filter.
struct SQLWriter {
    let dialect: any SQLDialect
    var nextPlaceholder: Int
    private(set) var sql = ""
    private(set) var binds: [SQLBind] = []

    init(dialect: any SQLDialect, nextPlaceholder: Int) {
        self.dialect = dialect
        self.nextPlaceholder = nextPlaceholder
        sql.reserveCapacity(256)
    }

    mutating func write(_ filter: ResolvedFilter, element: String? = nil) {
        switch filter {
        case .all(let operands):
            write(operands, separator: " AND ", element: element)
        case .any(let operands):
            write(operands, separator: " OR ", element: element)
        case .not(let inner):
            sql += "(NOT "
            write(inner, element: element)
            sql += ")"
        case .test(let test):
            write(test, element: element)
        case .constant(let outcome):
            sql += outcome ? "(1 = 1)" : "(1 = 0)"
        case .elements(let field, let inner):
            let (source, element) = dialect.arrayElements(of: Self.column(field))
            sql += "EXISTS (SELECT 1 FROM \(source) WHERE "
            write(inner, element: element)
            sql += ")"
        }
    }

    private mutating func write(_ operands: [ResolvedFilter], separator: String, element: String?) {
        sql += "("
        for (index, operand) in operands.enumerated() {
            if index > 0 { sql += separator }
            write(operand, element: element)
        }
        sql += ")"
    }

    private mutating func write(_ test: ResolvedTest, element: String?) {
        let column = test.onElement ? element ?? "NULL" : Self.column(test.field)
        switch test.valueKind {
        case .text:
            writeText(test, column)
        case .textArray:
            let length = dialect.arrayLength(of: column)
            switch test.condition {
            case .isNull:
                sql += "(\(column) IS NULL OR \(length) = 0)"
            case .present:
                sql += "(\(column) IS NOT NULL AND \(length) > 0)"
            case .compare:
                let (source, element) = dialect.arrayElements(of: column)
                sql += "EXISTS (SELECT 1 FROM \(source) WHERE "
                writeText(test, element)
                sql += ")"
            }
        case .number, .boolean, .timestamp:
            switch test.condition {
            case .isNull:
                sql += "(\(column) IS NULL)"
            case .present:
                sql += "(\(column) IS NOT NULL)"
            case .compare(let comparison, let operand):
                let placeholder = bind(Self.bind(operand))
                openNotNull(column)
                sql += column
                sql += Self.symbol(comparison)
                sql += placeholder
                sql += ")"
            }
        }
    }

    private mutating func writeText(_ test: ResolvedTest, _ column: String) {
        switch test.condition {
        case .isNull:
            sql += "(\(column) IS NULL)"
        case .present:
            sql += "(\(column) IS NOT NULL AND \(column) <> '')"
        case .compare(let comparison, let operand):
            guard case .text(let literal) = operand else { return }
            let folded = test.foldsCase ? dialect.asciiLowercased(column) : column
            openNotNull(column)
            switch comparison {
            case .equal:
                let placeholder = bind(.text(literal))
                sql += folded
                sql += " = "
                sql += placeholder
            case .greater, .greaterOrEqual, .less, .lessOrEqual:
                let placeholder = bind(.text(literal))
                sql += test.foldsCase ? folded : dialect.byteOrdered(column)
                sql += Self.symbol(comparison)
                sql += placeholder
            case .contains, .prefix, .suffix:
                let kind: SQLPatternKind =
                    comparison == .contains ? .contains : comparison == .prefix ? .prefix : .suffix
                let placeholder = dialect.placeholder(nextPlaceholder)
                nextPlaceholder += 1
                let match = dialect.patternMatch(
                    folded, kind, literal: literal, caseSensitive: !test.foldsCase, placeholder: placeholder)
                binds.append(.text(match.bind))
                sql += match.sql
            }
            sql += ")"
        }
    }

    /// Writes `(column IS NOT NULL AND `; the caller writes the comparison and the closing parenthesis.
    private mutating func openNotNull(_ column: String) {
        sql += "("
        sql += column
        sql += " IS NOT NULL AND "
    }

    /// Appends a bind and returns its placeholder.
    private mutating func bind(_ value: SQLBind) -> String {
        binds.append(value)
        nextPlaceholder += 1
        return dialect.placeholder(nextPlaceholder - 1)
    }

    private static func bind(_ operand: ResolvedTest.Operand) -> SQLBind {
        switch operand {
        case .text(let text): .text(text)
        case .integer(let integer), .timestamp(let integer): .integer(integer)
        case .double(let double): .double(double)
        case .boolean(let boolean): .boolean(boolean)
        }
    }

    /// The comparison operator with a space on each side.
    private static func symbol(_ comparison: ResolvedTest.Comparison) -> String {
        switch comparison {
        case .greater: " > "
        case .greaterOrEqual: " >= "
        case .less: " < "
        case .lessOrEqual: " <= "
        case .equal, .contains, .prefix, .suffix: " = "
        }
    }

    /// The field's column expression, parenthesised unless it is a plain (possibly qualified or quoted) name.
    private static func column(_ field: CatalogField) -> String {
        let plain = field.column.utf8.allSatisfy {
            $0.isLetter || $0.isDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "\"")
        }
        return plain ? field.column : "(\(field.column))"
    }
}
