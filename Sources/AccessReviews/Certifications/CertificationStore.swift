import Foundation
import SCIMFilter
import WardenCore

/// Creates, lists and reads certifications.
public struct CertificationStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The decisions that complete a row.
    static let completeDecisions = [ResultDecision.accepted, .rejected, .fixed].map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// `SELECT` and the columns `decode` reads; the row counts count only the rows `assignment` covers.
    private func select(for assignment: ReviewerAssignment) -> SQLText {
        var select = database.statement("SELECT certification_id, workflow_id, name, notes, due_date, created_at, created_by, results_updated_at, ")
        if assignment.isEveryRow {
            select.append("total_result_count")
        } else {
            select.append("(SELECT COUNT(*) FROM awf_results r WHERE r.certification_key = awf_certifications.seq")
            assignment.append(to: &select, reviewers: "r.reviewers")
            select.append(")")
        }
        select.append(", (SELECT COUNT(*) FROM awf_results r WHERE r.certification_key = awf_certifications.seq AND r.decision IN (\(Self.completeDecisions))")
        assignment.append(to: &select, reviewers: "r.reviewers")
        select.append(")")
        return select
    }

    /// Saves a new, empty certification of an existing workflow and returns its id.
    public func create(_ input: Certification.Input, by creator: WorkflowUser) async throws -> String {
        guard try await ReviewWorkflowStore(database: database).find(id: input.workflowID) != nil else {
            throw APIError.invalidArgument("workflow_id", "workflow_id \"\(input.workflowID)\" names no review workflow; create the workflow first")
        }
        let name = input.name ?? ""
        if name.count > 256 { throw APIError.invalidArgument("name", "name is \(name.count) characters long; the maximum is 256") }
        let id = UUID().uuidString.lowercased()
        let insert = try insertStatement(id: id, input, name: name, by: creator)
        try await database.transaction { [insert] in try await $0.execute(insert) }
        return id
    }

    /// The INSERT of a new certification without rows.
    func insertStatement(id: String, _ input: Certification.Input, name: String, by creator: WorkflowUser) throws -> SQLText {
        var insert = database.statement("""
            INSERT INTO awf_certifications (certification_id, workflow_id, name, notes, due_date, created_at, created_by, total_result_count) VALUES (
            """)
        insert.append(binds: [
            .text(id), .text(input.workflowID), .text(name), .text(input.notes ?? ""), input.dueDate.databaseValue,
            Timestamp.now.databaseValue, .text(try WireJSON.text(creator)), .integer(0),
        ])
        insert.append(")")
        return insert
    }

    /// One page of certifications, of one workflow when `workflowID` is given, with the total count;
    /// each certification's row counts count the rows `assignment` covers.
    public func list(
        _ request: ListRequest, workflowID: String?, signer: PageTokenSigner, for assignment: ReviewerAssignment
    ) async throws -> CertificationPage {
        let scope: ((inout SQLText) -> Void)? = workflowID.flatMap { $0.isEmpty ? nil : $0 }.map { id in
            { sql in
                sql.append("workflow_id = ")
                sql.append(bind: id)
            }
        }
        var select = select(for: assignment)
        select.append("\(request.sortKeyColumns) FROM awf_certifications")
        try request.appendClauses(to: &select, scope: scope)
        var count = database.statement("SELECT COUNT(*) FROM awf_certifications WHERE 1 = 1")
        if let scope {
            count.append(" AND ")
            scope(&count)
        }
        if let filter = request.filter {
            count.append(" AND ")
            count.append(try SQLCompiler(catalog: request.spec.catalog, dialect: database.kind.filterDialect)
                .compile(filter, firstPlaceholder: count.nextPlaceholder))
        }
        let page = try request.page(try await database.rows(select), signer: signer, decode: Self.decode)
        var total = try await database.first(count)?.reader()
        return CertificationPage(
            values: page.values, nextPageToken: page.nextPageToken, hasMore: page.hasMore, totalResultCount: try total?.integer() ?? 0)
    }

    /// The certification with this id, its row counts counting the rows `assignment` covers; 404
    /// when there is none.
    public func get(id: String, for assignment: ReviewerAssignment) async throws -> Certification {
        var select = select(for: assignment)
        select.append(" FROM awf_certifications WHERE certification_id = ")
        select.append(bind: id)
        guard let row = try await database.first(select) else { throw Self.notFound(id) }
        return try Self.decode(row)
    }

    /// The key result rows refer to their certification by; with `locking`, the certification is
    /// locked until the transaction ends (PostgreSQL; SQLite has one writer anyway).
    func key(of id: String, on connection: DatabaseConnection, locking: Bool = false) async throws -> Int64 {
        var select = database.statement("SELECT seq FROM awf_certifications WHERE certification_id = ")
        select.append(bind: id)
        if locking, database.kind == .postgres { select.append(" FOR UPDATE") }
        guard var reader = try await connection.first(select)?.reader() else { throw Self.notFound(id) }
        return try reader.integer()
    }

    static func notFound(_ id: String) -> APIError {
        .notFound("certification \(id)")
    }

    static func decode(_ row: DatabaseRow) throws -> Certification {
        var reader = row.reader()
        return Certification(
            certificationID: try reader.text(), workflowID: try reader.text(), name: try reader.text(), notes: try reader.text(),
            dueDate: try reader.optionalTimestamp(), createdAt: try reader.timestamp(),
            createdBy: try WireJSON.value(WorkflowUser.self, from: try reader.text()),
            resultsUpdatedAt: try reader.optionalTimestamp(), totalResultCount: try reader.integer(),
            totalCompleteCount: try reader.integer())
    }
}
