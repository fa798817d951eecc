import SCIMFilter
import WardenCore

extension PolicyStore {
    static let testFields = ["identity_id", "identity", "change", "changed_attributes", "version_number"]

    /// Plans and renders a version (`version_number`, else the live one, else the draft) for one
    /// identity: a stored one (`identity_id`) or one given in the body (`identity`). Changes nothing.
    public func test(policyID: String, body: JSONValue, now: Timestamp) async throws -> PolicyTestResult {
        var reader = ConfigReader()
        let members = reader.object(body, at: "", allowed: Self.testFields, what: "a policy test")
        let identityID = reader.string(members, "identity_id", at: "")
        let given = reader.object(members["identity"], at: "identity", allowed: ["id", "name", "attributes"], what: "an identity")
        let givenID = reader.string(given, "id", at: "identity") ?? ""
        let givenName = reader.string(given, "name", at: "identity") ?? ""
        let attributes = reader.members(given["attributes"], at: "identity.attributes")
        let change = reader.string(members, "change", at: "").map { IdentityChangeKind(rawValue: $0.uppercased()) } ?? .joined
        if change == nil {
            reader.report("change", "change must be one of \(IdentityChangeKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let changedAttributes = Set(reader.strings(members, "changed_attributes", at: ""))
        let versionNumber = reader.integer(members, "version_number", at: "")
        if (identityID == nil) == (members["identity"] == nil) {
            reader.report("identity_id", "give exactly one of identity_id (an identity of the policy's sources) and identity ({id, name, attributes})")
        }
        guard reader.violations.isEmpty, let change else { throw APIError.invalidFields(reader.violations) }

        let policy = try await policy(id: policyID)
        let number = versionNumber ?? (policy.currentVersionNumber > 0 ? policy.currentVersionNumber : policy.draftVersionNumber)
        let version = try await version(policyID: policyID, number: number)
        let identity: IdentitySnapshot
        if let identityID {
            guard let stored = try await environment.identity(id: identityID, sourceIDs: policy.datasourceIDs) else {
                throw APIError.notFound("identity \(identityID) in the policy's sources (\(policy.datasourceIDs.joined(separator: ", ")))")
            }
            identity = stored
        } else {
            identity = IdentitySnapshot(id: givenID, name: givenName, sourceID: policy.datasourceIDs.first ?? "", attributes: attributes)
        }

        var result = PolicyTestResult(workflowsMatched: [], actions: [], messages: [
            "tested version \(number) (\(version.state.rawValue)) with a \(change.rawValue) change of identity \(identity.id)"
        ])
        let plans: [WorkflowPlan]
        do {
            plans = try version.config.plan(for: identity, change: change, changedAttributes: changedAttributes)
        } catch {
            result.messages.append("the workflows could not be evaluated: \(error.message)")
            return result
        }
        if plans.isEmpty {
            result.messages.append("no workflow is triggered by this change")
        }
        let context = TemplateContext(attributes: identity.attributes)
        for plan in plans {
            result.workflowsMatched.append(plan.workflow)
            for action in plan.actions {
                var entry = PolicyTestResult.Action(workflow: plan.workflow, name: action.name, type: action.type, skipped: action.skipped)
                do {
                    entry.rendered = try action.render(context, now: now).wireValue
                } catch {
                    entry.error = error.description
                }
                result.actions.append(entry)
            }
        }
        return result
    }
}
