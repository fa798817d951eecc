import SCIMFilter
import WardenCore

/// Writes a demo review (a workflow, a certification and its rows) through the same stores the
/// API uses.
public struct AccessReviewsDemo: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Rows per load transaction.
    public static let batchSize = 10_000

    /// What a seed made.
    public struct Seeded: Sendable {
        public var workflowID: String
        public var certificationID: String
        public var rows: Int
        /// The smart action definitions made for the workflow, in `AccessReviewsDemo.definitions` order.
        public var definitionIDs: [String]

        public init(workflowID: String, certificationID: String, rows: Int, definitionIDs: [String] = []) {
            self.workflowID = workflowID
            self.certificationID = certificationID
            self.rows = rows
            self.definitionIDs = definitionIDs
        }
    }

    /// The smart actions a demo workflow gets, as create bodies: each matches some of the generated
    /// rows (`DemoResultGenerator`) and none signs rows off, so a reviewer can apply and undo each.
    static let definitions = [
        #"""
        {"name": "Approve read-only access", "description": "Accept undecided rows whose permissions are read-only",
         "filter": "abstract_permissions ne \"Write\"", "mutable_filter": "decision eq \"RESULT_DECISION_NONE\"",
         "mutable_fields": {"decision": "RESULT_DECISION_ACCEPTED", "notes": "Read-only access approved"}}
        """#,
        #"""
        {"name": "Revoke access of inactive people", "description": "Reject every row of a person who is no longer active",
         "filter": "source.is_active eq false", "mutable_fields": {"decision": "RESULT_DECISION_REJECTED", "notes": "Inactive user"}}
        """#,
        #"""
        {"name": "Reject admin rights to sensitive systems", "description": "Reject admin access to resources of high sensitivity",
         "filter": "destination.sensitivity eq \"high\" and abstract_permissions eq \"Admin\"",
         "mutable_fields": {"decision": "RESULT_DECISION_REJECTED", "notes": "Admin rights to a sensitive system"}}
        """#,
    ]

    /// Creates a workflow with the demo smart actions (`definitions`) and a certification of
    /// `results` generated rows; `progress` is told the running count after each batch commits.
    @discardableResult
    public func seed(results: Int, seed: UInt64, progress: (Int) -> Void = { _ in }) async throws -> Seeded {
        let creator = WorkflowUser(userType: "ApiKey", id: "demo", email: "", name: "warden demo seed")
        let workflow = try await ReviewWorkflowStore(database: database).create(
            try WireJSON.value(ReviewWorkflow.Input.self, from: #"{"name": "Quarterly access review", "description": "Who can reach the finance and engineering systems"}"#),
            by: creator)
        let certification = try await CertificationStore(database: database).create(
            try WireJSON.value(Certification.Input.self, from: #"{"workflow_id": "\#(workflow.workflowID)", "name": "Q3 access review"}"#),
            by: creator)
        let definitionStore = SmartActionDefinitionStore(database: database)
        var definitionIDs: [String] = []
        for body in Self.definitions {
            var input = try WireJSON.value(SmartActionDefinition.Input.self, from: body)
            input.workflowID = workflow.workflowID
            definitionIDs.append(try await definitionStore.create(input, by: creator.name))
        }
        var generator = DemoResultGenerator(seed: seed)
        let store = ResultStore(database: database)
        var written = 0
        while written < results {
            let batch = (0..<min(Self.batchSize, results - written)).map { _ in generator.next() }
            try await store.load(batch, into: certification)
            written += batch.count
            progress(written)
        }
        return Seeded(workflowID: workflow.workflowID, certificationID: certification, rows: written, definitionIDs: definitionIDs)
    }

    /// Seeds a review of `results` rows only when there is no certification yet.
    public func seedIfEmpty(results: Int) async throws -> Seeded? {
        guard try await database.first(database.statement("SELECT seq FROM awf_certifications LIMIT 1")) == nil else { return nil }
        return try await seed(results: results, seed: 1)
    }
}
