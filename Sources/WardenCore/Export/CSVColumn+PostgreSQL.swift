extension CSVColumn {
    /// A PostgreSQL expression for a whole CSV line (CRLF included) of `columns`, cell for cell what
    /// `CSVWriter.appendRow(_:columns:to:)` writes, so an export's rows can cross the driver as one
    /// text value each.
    public static func postgresLine(_ columns: some Sequence<(name: String, kind: CSVColumn)>) -> String {
        columns.map { $0.kind.postgresCell($0.name) }.joined(separator: " || ',' || ") + " || chr(13) || chr(10)"
    }

    /// The cell of `column`: NULL is empty, a cell that starts with a formula character gets `'`,
    /// and one holding a comma, quote, CR or LF is quoted with its quotes doubled.
    func postgresCell(_ column: String) -> String {
        switch self {
        case .text: Self.postgresEscaped(column)
        case .integer: "COALESCE(CASE WHEN \(column) < 0 THEN '''' ELSE '' END || \(column)::text, '')"
        case .boolean: "CASE WHEN \(column) THEN 'true' WHEN NOT \(column) THEN 'false' ELSE '' END"
        case .timestamp:
            // Floor division, so instants before 1970 keep a fraction in [0, 1e9).
            """
            COALESCE(to_char(to_timestamp(((\(column) - ((\(column) % 1000000000) + 1000000000) % 1000000000) / 1000000000)::double precision) \
            AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.') \
            || lpad((((\(column) % 1000000000) + 1000000000) % 1000000000)::text, 9, '0') || 'Z', '')
            """
        }
    }

    private static func postgresEscaped(_ text: String) -> String {
        let guarded = "left(\(text), 1) IN ('=', '+', '-', '@', chr(9), chr(13))"
        return """
            CASE WHEN \(text) IS NULL THEN '' \
            WHEN strpos(\(text), ',') > 0 OR strpos(\(text), '"') > 0 OR strpos(\(text), chr(10)) > 0 OR strpos(\(text), chr(13)) > 0 \
            THEN '"' || CASE WHEN \(guarded) THEN '''' ELSE '' END || replace(\(text), '"', '""') || '"' \
            WHEN \(guarded) THEN '''' || \(text) ELSE \(text) END
            """
    }
}
