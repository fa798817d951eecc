import AccessReviews
import Foundation
import SCIMFilter
import WardenCore

/// Performs CREATE_ACCESS_REVIEW: reads the identity's group memberships from a SCIM target and
/// creates a certification in a review workflow with one row per group (source the identity,
/// destination the group), each for the reviewer.
///
/// The certification's id is derived from the idempotency key (task and action), so an attempt
/// after one whose answer was lost, or a retry of the task, finds it and creates no second one.
struct AccessReviewPerformer: Sendable {
    let scim: SCIMPerformer
    let database: Database
    let identities: IdentityStore
    let clock: LifecycleClock

    /// The identity attribute that holds the manager's `entity_id`, whose email reviews by default.
    static let managerAttribute = "manager_id"

    func perform(
        connector: Connector, reviewWorkflow: String, reviewer: String?, name: String?, identity: IdentitySnapshot, idempotencyKey: String
    ) async -> ActionAttempt {
        let startedAt = clock.now
        var client = SCIMClient(http: scim.http, connector: connector, idempotencyKey: idempotencyKey)
        let certificationID = NameBasedID.make("access_review", idempotencyKey)
        var result: ActionAttempt.Result
        var message: String
        var output = JSONValue.null
        var retryAfter: Duration?
        do throws(SCIMFailure) {
            let workflow = try await workflow(reviewWorkflow)
            let assignee = try await self.reviewer(reviewer, of: identity)
            let (_, groups) = try await scim.memberships(of: identity, client: &client)
            let rows = groups.map { group in
                ResultImportRow(source: Self.source(identity), destination: Self.destination(group, connector: connector), reviewers: [assignee])
            }
            let input = Certification.Input(workflowID: workflow.workflowID, name: name ?? "Access of \(identity.name)")
            let created = try await create(certificationID, input, rows: rows)
            let names = groups.compactMap { $0["displayName"].map(Template.text(of:)) }
            result = .succeeded(changed: created)
            message = created
                ? "created certification \(certificationID) in review workflow \"\(workflow.name)\" with \(rows.count) row\(rows.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) for \(assignee.email)"
                : "certification \(certificationID) already exists: an earlier attempt created it"
            output = .object(["certification_id": .string(certificationID)])
        } catch {
            result = error.result
            message = error.message
            retryAfter = error.retryAfter
        }
        ConnectorMetrics.record(connector, result, duration: .zero)
        let completedAt = clock.now
        return ActionAttempt(
            result: result, message: message, output: output,
            jobRequest: .object([
                "connector": .string(connector.name), "operation": .string("create_access_review"), "identity_id": .string(identity.id),
                "review_workflow": .string(reviewWorkflow), "requests": .array(client.calls.map { $0.request }),
            ]),
            jobResult: .object(["responses": .array(client.calls.map { $0.response }), "certification_id": output.scimMember("certification_id") ?? .null]),
            startedAt: startedAt, completedAt: completedAt, responseReceivedAt: client.responded ? completedAt : nil, retryAfter: retryAfter)
    }

    private func create(_ id: String, _ input: Certification.Input, rows: [ResultImportRow]) async throws(SCIMFailure) -> Bool {
        do {
            return try await CertificationStore(database: database).createOnce(id: id, input, rows: rows, by: .lifecycleRunner)
        } catch {
            throw SCIMFailure(result: .transientFailure, message: "the certification could not be saved: \(error)")
        }
    }

    /// The review workflow with this id, else the oldest with this name.
    private func workflow(_ idOrName: String) async throws(SCIMFailure) -> ReviewWorkflow {
        let store = ReviewWorkflowStore(database: database)
        let found: ReviewWorkflow?
        do {
            if let byID = try await store.find(id: idOrName) {
                found = byID
            } else {
                found = try await store.find(named: idOrName)
            }
        } catch {
            throw SCIMFailure(result: .transientFailure, message: "the review workflows could not be read: \(error)")
        }
        guard let found else { throw SCIMFailure(result: .permanentFailure, message: "there is no review workflow with id or name \"\(idOrName)\"") }
        return found
    }

    /// The reviewer: the rendered `reviewer` email, else the identity's manager (the identity of the
    /// same source whose entity id is the `manager_id` attribute) with its `email`.
    private func reviewer(_ email: String?, of identity: IdentitySnapshot) async throws(SCIMFailure) -> WorkflowUser {
        if let email { return WorkflowUser(userType: "Email", id: email, email: email, name: email) }
        guard case .string(let managerID)? = identity.attributes[Self.managerAttribute], !managerID.isEmpty else {
            throw SCIMFailure(
                result: .permanentFailure,
                message: "identity \(identity.name) has no \(Self.managerAttribute) to find its manager by; set the action's reviewer")
        }
        let manager: IdentitySnapshot?
        do {
            manager = try await identities.snapshot(id: ImportedIdentity.identityID(sourceID: identity.sourceID, entityID: managerID))
        } catch {
            throw SCIMFailure(result: .transientFailure, message: "the manager's identity could not be read: \(error)")
        }
        guard let manager else {
            throw SCIMFailure(result: .permanentFailure, message: "identity \(identity.name)'s manager \(managerID) is not an identity of its source")
        }
        guard case .string(let email)? = manager.attributes["email"], !email.isEmpty else {
            throw SCIMFailure(result: .permanentFailure, message: "identity \(identity.name)'s manager \(manager.name) has no email")
        }
        return WorkflowUser(userType: "Identity", id: manager.id, email: email, name: manager.name)
    }

    /// A row's source: the identity.
    static func source(_ identity: IdentitySnapshot) -> [String: JSONValue] {
        var source: [String: JSONValue] = [
            "id": .string(identity.id), "name": .string(identity.name), "type": "Identity", "datasource_id": .string(identity.sourceID),
        ]
        if case .string(let email)? = identity.attributes["email"] { source["email"] = .string(email) }
        return source
    }

    /// A row's destination: the group, by its id on the target and its display name.
    static func destination(_ group: [String: JSONValue], connector: Connector) -> [String: JSONValue] {
        [
            "id": group["id"] ?? .null, "name": group["displayName"] ?? .null, "type": "Group", "datasource_id": .string(connector.name),
        ]
    }
}
