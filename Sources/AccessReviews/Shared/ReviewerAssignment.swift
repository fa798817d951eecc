import WardenCore

/// Which rows belong to a caller with the reviewer role: those listing a reviewer whose `id` is the
/// API key's id or name, or whose `email` is the key's name (ignoring letter case). Name a
/// reviewer's key after their email address. Emails compare with ASCII letters folded.
enum ReviewerAssignment {
    static func isAssigned(_ reviewers: [WorkflowUser], to key: APIKey) -> Bool {
        reviewers.contains { reviewer in
            reviewer.id == key.id || (!key.name.isEmpty && (reviewer.id == key.name || asciiLowercased(reviewer.email) == asciiLowercased(key.name)))
        }
    }
}

extension ReviewerAssignment {
    /// Appends the SQL of `isAssigned` over the `reviewers` column (JSON array text).
    static func appendAssigned(to key: APIKey, to sql: inout SQLText) {
        switch sql.kind {
        case .sqlite:
            sql.append("EXISTS (SELECT 1 FROM json_each(reviewers) AS r WHERE json_extract(r.value, '$.id') IN (")
            sql.append(bind: key.id)
            sql.append(", ")
            sql.append(bind: key.name)
            sql.append(") OR lower(json_extract(r.value, '$.email')) = ")
        case .postgres:
            sql.append("EXISTS (SELECT 1 FROM jsonb_array_elements(reviewers::jsonb) AS r(value) WHERE r.value->>'id' IN (")
            sql.append(bind: key.id)
            sql.append(", ")
            sql.append(bind: key.name)
            sql.append(") OR lower((r.value->>'email') COLLATE \"C\") = ")
        }
        sql.append(bind: asciiLowercased(key.name))
        sql.append(")")
    }

    /// `text` with A-Z lowered and nothing else changed, as SQLite's and PostgreSQL's `lower` do here.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
