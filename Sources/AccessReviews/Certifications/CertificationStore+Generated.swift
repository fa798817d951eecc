import WardenCore

extension CertificationStore {
    /// Creates certification `id` of an existing workflow with `rows`, in one transaction, unless a
    /// certification with that id exists; answers whether it created it. For Warden's own creators
    /// (a lifecycle action), whose retries must not make a second certification.
    public func createOnce(id: String, _ input: Certification.Input, rows: [ResultImportRow], by creator: WorkflowUser) async throws -> Bool {
        guard try await ReviewWorkflowStore(database: database).find(id: input.workflowID) != nil else {
            throw APIError.invalidArgument("workflow_id", "workflow_id \"\(input.workflowID)\" names no review workflow; create the workflow first")
        }
        let name = String((input.name ?? "").prefix(256))
        let insert = try insertStatement(id: id, input, name: name, by: creator)
        return try await database.transaction(statementTimeout: Database.longStatementTimeout) { connection in
            var existing = database.statement("SELECT 1 FROM awf_certifications WHERE certification_id = ")
            existing.append(bind: id)
            guard try await connection.first(existing) == nil else { return false }
            try await connection.execute(insert)
            let key = try await key(of: id, on: connection, locking: true)
            _ = try await ResultStore(database: database).insert(rows, given: [], into: key, certificationID: id, on: connection)
            return true
        }
    }
}
