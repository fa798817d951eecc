import WardenCore

extension CertificationStore {
    /// How many rows of each certification are signed off, counting the rows `assignment` covers;
    /// a certification with none is left out.
    public func signedOffCounts(of certificationIDs: [String], for assignment: ReviewerAssignment) async throws -> [String: Int64] {
        guard !certificationIDs.isEmpty else { return [:] }
        var select = database.statement("""
            SELECT c.certification_id, COUNT(*) FROM awf_results r JOIN awf_certifications c ON c.seq = r.certification_key \
            WHERE r.signed_off_state = 'SIGNED_OFF' AND c.certification_id IN (
            """)
        select.append(binds: certificationIDs.map(DatabaseValue.text))
        select.append(")")
        assignment.append(to: &select, reviewers: "r.reviewers")
        select.append(" GROUP BY c.certification_id")
        var counts: [String: Int64] = [:]
        for row in try await database.rows(select) {
            var reader = row.reader()
            counts[try reader.text()] = try reader.integer()
        }
        return counts
    }
}
