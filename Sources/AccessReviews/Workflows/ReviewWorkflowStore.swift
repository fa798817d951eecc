import Foundation
import SCIMFilter
import WardenCore

/// Creates, lists and reads review workflows.
public struct ReviewWorkflowStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "workflow_id, name, description, notes, owner, creator, created_at, remediation_policy_id, remediation_workflow"

    /// Saves a new workflow created by `creator` and returns it.
    public func create(_ input: ReviewWorkflow.Input, by creator: WorkflowUser) async throws -> ReviewWorkflow {
        try Self.checkName(input.name, field: "name")
        if let remediation = input.remediation {
            try Self.checkName(remediation.policyID, field: "remediation.policy_id")
            try Self.checkName(remediation.workflow, field: "remediation.workflow")
        }
        let workflow = ReviewWorkflow(
            workflowID: UUID().uuidString.lowercased(), name: input.name, description: input.description ?? "",
            notes: input.notes ?? "", owner: input.owner, creator: creator, createdAt: .now, remediation: input.remediation)
        var insert = database.statement("INSERT INTO awf_workflows (\(Self.columns)) VALUES (")
        insert.append(binds: [
            .text(workflow.workflowID), .text(workflow.name), .text(workflow.description), .text(workflow.notes),
            try workflow.owner.map { .text(try WireJSON.text($0)) } ?? .null, .text(try WireJSON.text(creator)),
            workflow.createdAt.databaseValue, workflow.remediation.map { .text($0.policyID) } ?? .null,
            workflow.remediation.map { .text($0.workflow) } ?? .null,
        ])
        insert.append(")")
        try await database.transaction { [insert] in try await $0.execute(insert) }
        return workflow
    }

    /// One page of workflows.
    public func list(_ request: ListRequest, signer: PageTokenSigner) async throws -> ListPage<ReviewWorkflow> {
        var select = database.statement("SELECT \(Self.columns)\(request.sortKeyColumns) FROM awf_workflows")
        try request.appendClauses(to: &select)
        return try request.page(try await database.rows(select), signer: signer, decode: Self.decode)
    }

    /// The workflow with this id; 404 when there is none.
    public func get(id: String) async throws -> ReviewWorkflow {
        guard let workflow = try await find(id: id) else { throw APIError.notFound("review workflow \(id)") }
        return workflow
    }

    /// The workflow with this id, or nil.
    public func find(id: String) async throws -> ReviewWorkflow? {
        var select = database.statement("SELECT \(Self.columns) FROM awf_workflows WHERE workflow_id = ")
        select.append(bind: id)
        return try await database.first(select).map(Self.decode)
    }

    /// The oldest workflow named `name`, or nil.
    public func find(named name: String) async throws -> ReviewWorkflow? {
        var select = database.statement("SELECT \(Self.columns) FROM awf_workflows WHERE name = ")
        select.append(bind: name)
        select.append(" ORDER BY created_at, seq LIMIT 1")
        return try await database.first(select).map(Self.decode)
    }

    /// Checks a required name of at most 256 characters.
    static func checkName(_ name: String, field: String) throws(APIError) {
        if name.allSatisfy(\.isWhitespace) { throw .invalidArgument(field, "\(field) is required and must not be blank") }
        if name.count > 256 { throw .invalidArgument(field, "\(field) is \(name.count) characters long; the maximum is 256") }
    }

    private static func remediation(policyID: String?, workflow: String?) -> ReviewWorkflow.Remediation? {
        guard let policyID, let workflow else { return nil }
        return ReviewWorkflow.Remediation(policyID: policyID, workflow: workflow)
    }

    static func decode(_ row: DatabaseRow) throws -> ReviewWorkflow {
        var reader = row.reader()
        return ReviewWorkflow(
            workflowID: try reader.text(), name: try reader.text(), description: try reader.text(), notes: try reader.text(),
            owner: try reader.optionalText().map { try WireJSON.value(WorkflowUser.self, from: $0) },
            creator: try WireJSON.value(WorkflowUser.self, from: try reader.text()), createdAt: try reader.timestamp(),
            remediation: remediation(policyID: try reader.optionalText(), workflow: try reader.optionalText()))
    }
}
