extension APIError {
    /// The error a client gets for a database failure that is not a bug of Warden's, or nil:
    /// - 400 when the request's own text cannot be stored: PostgreSQL has no NUL character in text
    ///   or JSON (SQLSTATE 22P05 or 22021);
    /// - 504 when a statement ran past its timeout (57014);
    /// - 503 when the database cannot be reached or the connection was lost.
    public init?(database error: any Error) {
        guard let error = error as? PostgresError else { return nil }
        switch error.sqlState {
        case "22P05", "22021":
            self = .invalidArgument("body", "the request holds a NUL character (\\u0000), which the database cannot store; remove it")
        case "57014":
            self = APIError(
                .deadlineExceeded, "the database stopped the request's statement at its time limit",
                resolution: "Narrow the request (a more selective filter, a smaller page), or raise --database-statement-timeout.")
        case _ where error.isConnectionLoss:
            self = APIError(.unavailable, "the database cannot be reached; the server log has the details under this request_id", resolution: "Retry shortly.")
        default:
            return nil
        }
    }
}
