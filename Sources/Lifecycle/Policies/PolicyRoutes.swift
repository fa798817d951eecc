import Hummingbird
import SCIMFilter
import WardenCore

/// `/api/private/lifecycle_management/policies`: Veza's list, create, get, state change and version
/// get/update, and Warden's version list, create_draft, publish and `:test`.
///
/// Admins and operators manage policies; viewers read them.
public struct PolicyRoutes: Sendable {
    let store: PolicyStore
    let clock: LifecycleClock

    public init(database: Database, environment: any PolicyEnvironment, clock: LifecycleClock = .system) {
        store = PolicyStore(database: database, environment: environment)
        self.clock = clock
    }

    static let path = "private/lifecycle_management/policies"

    /// Veza's create response.
    struct Created: Encodable, Sendable {
        var id: String
    }

    public func add(to api: RouterGroup<WardenRequestContext>) {
        let store = store
        let clock = clock
        let policy = Self.path + "/{policy_id}"
        let version = policy + "/versions/{version_number}"
        api.get(.init(Self.path)) { _, context in
            try context.require(.listPolicies)
            return JSONResponse(ListPage(values: try await store.list(), nextPageToken: "", hasMore: false))
        }
        api.post(.init(Self.path)) { request, context in
            let caller = try context.require(.createPolicy)
            let body = try await request.decodeJSON(JSONValue.self, context: context)
            return JSONResponse(Created(id: try await store.create(body, by: caller.name)))
        }
        api.get(.init(policy)) { _, context in
            try context.require(.getPolicy)
            return JSONResponse(ValueEnvelope(try await store.get(id: try context.pathParameter("policy_id"))))
        }
        api.patch(.init(policy)) { request, context in
            let caller = try context.require(.updatePolicyState)
            let body = try await request.decodeJSON(JSONValue.self, context: context)
            let state = try Self.state(from: body, updateMask: request.formQuery["update_mask"])
            let id = try context.pathParameter("policy_id")
            try await store.setState(id: id, to: state, by: caller.name)
            return JSONResponse(ValueEnvelope(try await store.get(id: id)))
        }
        api.get(.init(policy + "/versions")) { _, context in
            try context.require(.listPolicyVersions)
            return JSONResponse(ListPage(values: try await store.versions(policyID: try context.pathParameter("policy_id")), nextPageToken: "", hasMore: false))
        }
        api.post(.init(policy + "/versions:create_draft")) { _, context in
            let caller = try context.require(.createPolicyDraft)
            return JSONResponse(ValueEnvelope(try await store.createDraft(policyID: try context.pathParameter("policy_id"), by: caller.name)))
        }
        api.get(.init(version)) { _, context in
            try context.require(.getPolicyVersion)
            let number = try Self.versionNumber(context)
            return JSONResponse(ValueEnvelope(try await store.version(policyID: try context.pathParameter("policy_id"), number: number)))
        }
        api.put(.init(version)) { request, context in
            let caller = try context.require(.updatePolicyVersion)
            let number = try Self.versionNumber(context)
            let id = try context.pathParameter("policy_id")
            let body = try await request.decodeJSON(JSONValue.self, context: context)
            let config = try Self.config(from: body, policyID: id, number: number, updateMask: request.formQuery["update_mask"])
            return JSONResponse(ValueEnvelope(try await store.updateDraft(policyID: id, number: number, config: config, by: caller.name)))
        }
        api.post(.init(version + ":publish")) { _, context in
            let caller = try context.require(.publishPolicyVersion)
            let number = try Self.versionNumber(context)
            return JSONResponse(ValueEnvelope(try await store.publish(policyID: try context.pathParameter("policy_id"), number: number, by: caller.name)))
        }
        api.post(.init(policy + ":test")) { request, context in
            try context.require(.testPolicy)
            let body = try await request.decodeJSON(JSONValue.self, context: context)
            return JSONResponse(ValueEnvelope(try await store.test(policyID: try context.pathParameter("policy_id"), body: body, now: clock.now)))
        }
    }

    private static func versionNumber(_ context: WardenRequestContext) throws -> Int {
        let text = try context.pathParameter("version_number")
        guard let number = Int(text), number > 0 else {
            throw APIError.invalidArgument("version_number", "version_number must be a whole number from 1, not \"\(text)\"")
        }
        return number
    }

    /// The body of a request, unwrapped from `{"value": {...}}` when sent that way.
    private static func unwrapped(_ body: JSONValue) -> [String: JSONValue] {
        guard case .object(var members) = body else { return [:] }
        if case .object(let value)? = members["value"], members.count == 1 { members = value }
        return members
    }

    /// The new state of a PATCH: `{"state": ...}` (or wrapped in `value`); `update_mask`, in the body or
    /// the query, may name only `state`.
    static func state(from body: JSONValue, updateMask: String?) throws -> PolicyState {
        var members = unwrapped(body)
        var reader = ConfigReader()
        let mask = updateMask ?? reader.string(members, "update_mask", at: "")
        members["update_mask"] = nil
        if let mask, !mask.isEmpty, mask.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) != "state" }) {
            reader.report("update_mask", "update_mask \"\(mask)\" names a field PATCH cannot change; only state can be changed here")
        }
        _ = reader.object(.object(members), at: "", allowed: ["state"], what: "a policy state change")
        let state = reader.wireEnum(PolicyState.self, members, "state", at: "")
        if members["state"] == nil { reader.report("state", "state is required: one of \(PolicyState.allowedNames)") }
        guard reader.violations.isEmpty, let state else { throw APIError.invalidFields(reader.violations) }
        return state
    }

    /// The config of a version update: the PolicyVersion (or `{"value": PolicyVersion}`) whose
    /// `config` replaces the draft's. Its read-only members may be sent back as a GET returned them;
    /// `policy_id` and `version_number`, if sent, must match the path.
    static func config(from body: JSONValue, policyID: String, number: Int, updateMask: String?) throws -> JSONValue {
        let members = unwrapped(body)
        var reader = ConfigReader()
        let readOnly = ["state", "created_at", "created_by", "updated_at", "published_at", "published_by", "config_version"]
        _ = reader.object(.object(members), at: "", allowed: ["policy_id", "version_number", "config"] + readOnly, what: "a policy version")
        if let id = reader.string(members, "policy_id", at: ""), id != policyID {
            reader.report("policy_id", "policy_id \"\(id)\" differs from the path's, \"\(policyID)\"")
        }
        if let given = reader.integer(members, "version_number", at: ""), given != number {
            reader.report("version_number", "version_number \(given) differs from the path's, \(number)")
        }
        if let updateMask, !updateMask.isEmpty, updateMask != "config" {
            reader.report("update_mask", "update_mask \"\(updateMask)\" names a field that cannot be changed; only config can")
        }
        if members["config"] == nil { reader.report("config", "config is required: the version's workflows and actions") }
        guard reader.violations.isEmpty, let config = members["config"] else { throw APIError.invalidFields(reader.violations) }
        return config
    }
}
