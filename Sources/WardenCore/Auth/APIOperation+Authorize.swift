extension APIOperation {
    /// Checks `caller` against this operation's row of the permission table: a 401 when the operation
    /// needs a key and there is none, a 403 when the caller's role is not in the row.
    public func authorize(_ caller: APIKey?) throws(APIError) {
        guard !permission.allows(caller?.role) else { return }
        guard let caller else {
            throw APIError(.unauthenticated, "this endpoint needs an API key: send Authorization: Bearer <key>")
        }
        throw APIError(
            .permissionDenied,
            "\(rawValue) needs the role \(permission.roles.map(\.rawValue).joined(separator: " or ")); the API key \"\(caller.name)\" has the role \(caller.role.rawValue)",
            resolution: "Use an API key with a role that may call this endpoint (see docs/permissions.md)."
        )
    }
}
