extension SQLDialect {
    /// A `LIKE` pattern for `literal` with `%`, `_` and the escape character `\` escaped (use `ESCAPE '\'`).
    public func likePattern(_ literal: String, _ kind: SQLPatternKind) -> String {
        var pattern = kind == .prefix ? "" : "%"
        for scalar in literal.unicodeScalars {
            if scalar == "%" || scalar == "_" || scalar == "\\" { pattern += "\\" }
            pattern.unicodeScalars.append(scalar)
        }
        if kind != .suffix { pattern += "%" }
        return pattern
    }
}
