extension APIError {
    /// A 400 for a database error that the request's own text caused, or nil: PostgreSQL cannot
    /// store a NUL character in text or JSON (SQLSTATE 22P05 or 22021).
    public init?(database error: any Error) {
        guard let state = (error as? PostgresError)?.sqlState, ["22P05", "22021"].contains(state) else {
            return nil
        }
        self = .invalidArgument("body", "the request holds a NUL character (\\u0000), which the database cannot store; remove it")
    }
}
