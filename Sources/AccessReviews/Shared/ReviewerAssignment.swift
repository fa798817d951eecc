import WardenCore

/// Which rows belong to a caller with the reviewer role: those listing a reviewer whose `id` is the
/// API key's id or name, or whose `email` is the key's name (ignoring letter case). Name a
/// reviewer's key after their email address.
enum ReviewerAssignment {
    static func isAssigned(_ reviewers: [WorkflowUser], to key: APIKey) -> Bool {
        reviewers.contains { reviewer in
            reviewer.id == key.id || (!key.name.isEmpty && (reviewer.id == key.name || reviewer.email.lowercased() == key.name.lowercased()))
        }
    }
}
