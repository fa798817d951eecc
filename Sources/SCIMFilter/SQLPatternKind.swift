/// Which part of a text a substring pattern matches: `co`, `sw` or `ew`.
public enum SQLPatternKind: Hashable, Sendable {
    /// Anywhere (`co`).
    case contains
    /// At the start (`sw`).
    case prefix
    /// At the end (`ew`).
    case suffix
}
