/// Why a filter was rejected: a syntax error (with its column) or a semantic error (often about one field).
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The full human message, e.g. `expected a comparison operator after "state" at column 7`.
    public var message: String
    /// The 1-based column in the filter text, counted in characters, when it is a syntax error.
    public var column: Int?
    /// The wire name of the field the error is about, when it is about one.
    public var field: String?

    /// Creates an error.
    public init(message: String, column: Int? = nil, field: String? = nil) {
        self.message = message
        self.column = column
        self.field = field
    }

    public var description: String { message }
}
