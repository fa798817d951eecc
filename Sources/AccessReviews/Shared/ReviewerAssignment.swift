import SCIMFilter
import WardenCore

/// The result rows a caller sees and changes: every row, or, for a caller with the reviewer role,
/// the rows whose `reviewers` include the email of the caller's key (A-Z compared without case, as
/// keys store their emails lower-cased). A row outside it does not exist for the caller: lists,
/// counts, gets, updates, exports and smart actions all add `append(to:)` to their SQL.
public struct ReviewerAssignment: Sendable, Equatable {
    /// The reviewer's email; nil when the caller sees every row.
    let email: String?

    /// The rows `caller` sees.
    public init(_ caller: APIKey) {
        email = caller.role == .reviewer ? caller.email : nil
    }

    private init(email: String?) {
        self.email = email
    }

    /// Every row: for the server's own work, such as the evidence a job exports.
    public static let everyRow = ReviewerAssignment(email: nil)

    /// Whether the caller sees every row.
    var isEveryRow: Bool { email == nil }

    /// Appends ` AND <the row is assigned>` for a reviewer and nothing otherwise; `reviewers` names
    /// the rows' column (JSON array text). A reviewer key without an email sees no row.
    func append(to sql: inout SQLText, reviewers: String = "reviewers") {
        guard let email = emailToMatch(appendingTo: &sql) else { return }
        let dialect = sql.kind.filterDialect
        switch sql.kind {
        case .sqlite:
            sql.append(" AND EXISTS (SELECT 1 FROM json_each(\(reviewers)) AS assigned WHERE ")
            sql.append(dialect.asciiLowercased("json_extract(assigned.value, '$.email')"))
        case .postgres:
            sql.append(" AND EXISTS (SELECT 1 FROM jsonb_array_elements(\(reviewers)::jsonb) AS assigned(value) WHERE ")
            sql.append(dialect.asciiLowercased("assigned.value->>'email'"))
        }
        sql.append(" = ")
        sql.append(bind: email)
        sql.append(")")
    }

    /// Appends ` AND <the caller applied the batch>` for a reviewer and nothing otherwise: a reviewer
    /// sees and undoes only the smart action batches applied with their key's email (the batches'
    /// `actor`, JSON text).
    func appendApplied(to sql: inout SQLText) {
        guard let email = emailToMatch(appendingTo: &sql) else { return }
        switch sql.kind {
        case .sqlite: sql.append(" AND json_extract(actor, '$.email') = ")
        case .postgres: sql.append(" AND (actor::jsonb->>'email') = ")
        }
        sql.append(bind: email)
    }

    /// The reviewer's email, or nil when there is nothing to match: every row is seen, or (after
    /// appending ` AND 1 = 0`) a reviewer key without an email sees nothing.
    private func emailToMatch(appendingTo sql: inout SQLText) -> String? {
        if email == "" { sql.append(" AND 1 = 0") }
        return email.flatMap { $0.isEmpty ? nil : $0 }
    }
}
