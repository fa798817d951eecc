import NIOConcurrencyHelpers
import SCIMFilter
import WardenCore

/// Performs SCIM actions against a SCIM connector: each attempt is a few SCIM calls (look the user
/// up, then create, change or delete), recorded together as one job, over the REST performer's
/// HTTP client. A target's failure is an outcome, never a thrown error.
///
/// Users are found by `externalId` (the Warden identity's id), then by the mapped `userName`; a
/// create answered 409 is looked up again and updated, so a retried sync never makes a duplicate.
public final class SCIMPerformer: Sendable {
    let http: HTTPPerformer
    let profiles: AccessProfileStore
    let clock: LifecycleClock
    /// Whether each server (by connector id and base URL) supports PATCH, as its ServiceProviderConfig said.
    private let patchSupport = NIOLockedValueBox([String: Bool]())

    public init(http: HTTPPerformer, profiles: AccessProfileStore, clock: LifecycleClock = .system) {
        self.http = http
        self.profiles = profiles
        self.clock = clock
    }

    /// Does `operation` for `identity` through `connector` (a SCIM connector).
    public func perform(_ operation: SCIMOperation, connector: Connector, identity: IdentitySnapshot, idempotencyKey: String) async -> ActionAttempt {
        let startedAt = clock.now
        let start = ContinuousClock.now
        var client = SCIMClient(http: http, connector: connector, idempotencyKey: idempotencyKey)
        let result: ActionAttempt.Result
        let message: String
        var output = JSONValue.null
        var secretOutput: [String: String] = [:]
        var retryAfter: Duration?
        do {
            let outcome = try await run(operation, identity: identity, client: &client)
            result = .succeeded(changed: outcome.changed)
            message = outcome.message
            output = outcome.output
            secretOutput = outcome.secrets
        } catch {
            result = error.result
            message = error.message
            retryAfter = error.retryAfter
        }
        ConnectorMetrics.record(connector, result, duration: start.duration(to: .now))
        let completedAt = clock.now
        var attempt = ActionAttempt(
            result: result, message: message, output: output,
            jobRequest: .object([
                "connector": .string(connector.name), "operation": .string(operation.name), "identity_id": .string(identity.id),
                "requests": .array(client.calls.map { $0.request }),
            ]),
            jobResult: .object(["responses": .array(client.calls.map { $0.response })]),
            startedAt: startedAt, completedAt: completedAt, responseReceivedAt: client.responded ? completedAt : nil, retryAfter: retryAfter)
        attempt = attempt.redacting(Array(secretOutput.values) + client.secrets)
        attempt.secretOutput = secretOutput
        return attempt
    }

    struct Outcome {
        var changed: Bool
        var message: String
        var output: JSONValue = .null
        /// Output fields held in memory only (`ActionAttempt.secretOutput`).
        var secrets: [String: String] = [:]
    }

    private func run(_ operation: SCIMOperation, identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        switch operation {
        case .sync: try await sync(identity, client: &client)
        case .deprovision: try await deprovision(identity, client: &client)
        case .delete: try await delete(identity, client: &client)
        case .manageRelationships(let grant, let revoke, let revokeGroups):
            try await manage(identity, grant: grant, revoke: revoke, revokeGroups: revokeGroups, client: &client)
        case .createEntitlement(let displayName): try await createGroup(displayName, client: &client)
        case .createEmail(let rendered): try await createEmail(rendered, identity: identity, client: &client)
        case .resetPassword(let length): try await resetPassword(identity, length: length, client: &client)
        }
    }

    // MARK: Users

    /// The mapped values for `identity` and the `userName` among them.
    private func mapped(_ identity: IdentitySnapshot, _ connector: Connector) throws(SCIMFailure) -> (values: [(target: SCIMAttributeMapping.Target, value: JSONValue)], missing: [String], userName: String?) {
        let mapping: SCIMAttributeMapping
        do {
            mapping = try SCIMAttributeMapping(connector.attributeMapping)
        } catch {
            throw SCIMFailure(result: .permanentFailure, message: "connector \"\(connector.name)\" has an invalid attribute_mapping: \(error.message)")
        }
        let (values, missing) = mapping.render(TemplateContext(attributes: identity.attributes))
        let userName = values.first { $0.target == SCIMAttributeMapping.Target(attribute: "userName") }.map { Template.text(of: $0.value) }
        return (values, missing, userName)
    }

    private func sync(_ identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        let (values, missing, userName) = try mapped(identity, client.connector)
        guard let userName, !userName.isEmpty else {
            throw SCIMFailure(result: .permanentFailure, message: "the userName mapping rendered nothing for identity \(identity.name): \(missing.joined(separator: "; "))")
        }
        let note = missing.isEmpty ? "" : "; left out (the identity lacks them): \(missing.joined(separator: "; "))"
        var found = try await client.findUser(externalID: identity.id, userName: userName)
        if found == nil {
            let resource = SCIMAttributeMapping.merge(
                values, into: ["schemas": .array([.string(SCIMAttributeMapping.userSchema)]), "externalId": .string(identity.id)])
            let (status, body) = try await client.call("POST", "/Users", body: .object(resource), accepting: [409])
            if status != 409 {
                return Outcome(changed: true, message: "created user \(userName) (\(body.memberString("id") ?? "no id"))\(note)", output: body)
            }
            // Taken: an earlier attempt created it and its answer was lost, or the user exists under that userName.
            found = try await client.findUser(externalID: identity.id, userName: userName)
            guard found != nil else {
                throw SCIMFailure(
                    result: .permanentFailure,
                    message: "POST /Users → 409 uniqueness, yet no user has externalId \(identity.id) or userName \(userName); another attribute must be taken")
            }
        }
        guard let user = found, case .string(let id)? = user["id"] else {
            throw SCIMFailure(result: .permanentFailure, message: "the server answered a user without an id")
        }
        var merged = SCIMAttributeMapping.merge(values, into: user)
        merged["externalId"] = .string(identity.id)
        let changedKeys = merged.keys.filter { $0 != "meta" && merged[$0] != user[$0] }.sorted()
        guard !changedKeys.isEmpty else {
            return Outcome(changed: false, message: "user \(userName) (\(id)) already has the mapped attributes\(note)", output: .object(user))
        }
        try await replace(changedKeys, of: merged, at: "/Users/\(id)", client: &client)
        return Outcome(changed: true, message: "updated user \(userName) (\(id)): \(changedKeys.joined(separator: ", "))\(note)", output: .object(merged))
    }

    /// Writes `keys` of `resource` to the server: one PATCH of `replace` operations, or a PUT of the
    /// whole resource when the server does not support PATCH.
    private func replace(_ keys: [String], of resource: [String: JSONValue], at path: String, client: inout SCIMClient) async throws(SCIMFailure) {
        if try await supportsPatch(&client) {
            let operations = keys.filter { $0 != "schemas" }.map { key in
                JSONValue.object(["op": .string("replace"), "path": .string(key), "value": resource[key] ?? .null])
            }
            try await client.patch(path, operations)
        } else {
            try await client.call("PUT", path, body: SCIMClient.replacement(resource))
        }
    }

    private func supportsPatch(_ client: inout SCIMClient) async throws(SCIMFailure) -> Bool {
        let key = "\(client.connector.id) \(client.connector.baseURL)"
        if let known = patchSupport.withLockedValue({ $0[key] }) { return known }
        let supported = try await client.supportsPatch()
        patchSupport.withLockedValue { $0[key] = supported }
        return supported
    }

    /// The identity's user, found by externalId or the mapped userName.
    private func existingUser(_ identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> (user: [String: JSONValue], id: String)? {
        let userName = (try? mapped(identity, client.connector))?.userName
        guard let user = try await client.findUser(externalID: identity.id, userName: userName) else { return nil }
        guard case .string(let id)? = user["id"] else { throw SCIMFailure(result: .permanentFailure, message: "the server answered a user without an id") }
        return (user, id)
    }

    private func deprovision(_ identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        guard let found = try await existingUser(identity, client: &client) else {
            return Outcome(changed: false, message: "no user for identity \(identity.name) (\(identity.id)): nothing to deprovision")
        }
        let (user, id) = (found.user, found.id)
        let name = user["userName"].map(Template.text(of:)) ?? id
        if user["active"] == .bool(false) {
            return Outcome(changed: false, message: "user \(name) (\(id)) is already inactive", output: .object(user))
        }
        var merged = user
        merged["active"] = .bool(false)
        try await replace(["active"], of: merged, at: "/Users/\(id)", client: &client)
        return Outcome(changed: true, message: "deactivated user \(name) (\(id))", output: .object(merged))
    }

    private func delete(_ identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        guard let found = try await existingUser(identity, client: &client) else {
            return Outcome(changed: false, message: "no user for identity \(identity.name) (\(identity.id)): nothing to delete")
        }
        let (user, id) = (found.user, found.id)
        let name = user["userName"].map(Template.text(of:)) ?? id
        let (status, _) = try await client.call("DELETE", "/Users/\(id)", accepting: [404])
        return status == 404
            ? Outcome(changed: false, message: "user \(name) (\(id)) was already deleted")
            : Outcome(changed: true, message: "deleted user \(name) (\(id))")
    }

    /// The identity's user, which the action `type` needs to exist.
    private func requiredUser(_ identity: IdentitySnapshot, for type: String, client: inout SCIMClient) async throws(SCIMFailure) -> (user: [String: JSONValue], id: String) {
        guard let found = try await existingUser(identity, client: &client) else {
            throw SCIMFailure(
                result: .permanentFailure,
                message: "no user for identity \(identity.name) (\(identity.id)) on connector \"\(client.connector.name)\": run SYNC_IDENTITIES before \(type)")
        }
        return found
    }

    // MARK: E-mail and password

    /// Gives the user the first candidate of `rendered` no other user holds (as an e-mail or a
    /// userName) as its primary work e-mail; a candidate the user already holds is the answer, so
    /// a retry keeps the address the first attempt chose.
    private func createEmail(_ rendered: String, identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        guard let candidates = EmailAddressCandidates(rendered: rendered) else {
            throw SCIMFailure(result: .permanentFailure, message: "the template rendered \"\(rendered)\", which is not an address like first.last@example.com")
        }
        let (user, id) = try await requiredUser(identity, for: "CREATE_EMAIL", client: &client)
        let name = user["userName"].map(Template.text(of:)) ?? id
        let held = Set(Self.emails(of: user).map { $0.lowercased() })
        if let own = (1...EmailAddressCandidates.limit).lazy.map(candidates.address).first(where: held.contains) {
            return Outcome(changed: false, message: "user \(name) (\(id)) already has the address \(own)", output: Self.emailOutput(own, userID: id))
        }
        var address: String?
        for number in 1...EmailAddressCandidates.limit {
            let candidate = candidates.address(number)
            let literal = SCIMClient.literal(candidate)
            let holders = try await client.search("/Users", filter: "emails.value eq \(literal) or userName eq \(literal)")
            if holders.allSatisfy({ $0["id"] == .string(id) }) {
                address = candidate
                break
            }
        }
        guard let address else {
            throw SCIMFailure(
                result: .permanentFailure,
                message: "\(candidates.address(1)) and its first \(EmailAddressCandidates.limit - 1) numbered variants are all taken on connector \"\(client.connector.name)\"")
        }
        var merged = user
        merged["emails"] = .array(Self.withWorkEmail(address, user["emails"]?.arrayElements ?? []))
        try await replace(["emails"], of: merged, at: "/Users/\(id)", client: &client)
        return Outcome(changed: true, message: "gave user \(name) (\(id)) the address \(address)", output: Self.emailOutput(address, userID: id))
    }

    static func emailOutput(_ address: String, userID: String) -> JSONValue {
        .object(["email": .string(address), "user_id": .string(userID)])
    }

    /// The `value`s of a user's `emails`.
    static func emails(of user: [String: JSONValue]) -> [String] {
        (JSONValue.object(user).scimMember("emails")?.arrayElements ?? []).compactMap { $0.memberString("value") }
    }

    /// `emails` with `address` as the primary work address: the work element's value replaced, or a
    /// new element; every other element loses `primary`.
    static func withWorkEmail(_ address: String, _ emails: [JSONValue]) -> [JSONValue] {
        var elements = emails.compactMap(\.objectMembers).map { element in element.filter { $0.key.lowercased() != "primary" } }
        let work: [String: JSONValue] = ["type": .string("work"), "value": .string(address), "primary": .bool(true)]
        if let index = elements.firstIndex(where: { JSONValue.object($0).memberString("type")?.lowercased() == "work" }) {
            elements[index] = work
        } else {
            elements.insert(work, at: 0)
        }
        return elements.map(JSONValue.object)
    }

    /// Sets a generated password on the user; the password is the outcome's secret `password`,
    /// redacted from the recorded PATCH.
    private func resetPassword(_ identity: IdentitySnapshot, length: Int, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        let (user, id) = try await requiredUser(identity, for: "RESET_PASSWORD", client: &client)
        let name = user["userName"].map(Template.text(of:)) ?? id
        let password = PasswordGenerator.generate(length: length)
        client.secrets.append(password)
        var merged = user
        merged["password"] = .string(password)
        try await replace(["password"], of: merged, at: "/Users/\(id)", client: &client)
        return Outcome(
            changed: true, message: "set a new \(length)-character password on user \(name) (\(id))",
            output: .object(["user_id": .string(id), "password_set": .bool(true)]), secrets: ["password": password])
    }

    // MARK: Groups

    private func manage(
        _ identity: IdentitySnapshot, grant: [String], revoke: [String], revokeGroups: [String], client: inout SCIMClient
    ) async throws(SCIMFailure) -> Outcome {
        let granted = try await groups(of: grant, connector: client.connector)
        var revoked = try await groups(of: revoke, connector: client.connector)
        for group in revokeGroups where !revoked.contains(group) { revoked.append(group) }
        revoked.removeAll { granted.contains($0) }
        guard let found = try await existingUser(identity, client: &client) else {
            throw SCIMFailure(
                result: .permanentFailure,
                message: "no user for identity \(identity.name) (\(identity.id)) on connector \"\(client.connector.name)\": run SYNC_IDENTITIES before MANAGE_RELATIONSHIPS")
        }
        let (user, id) = (found.user, found.id)
        let name = user["userName"].map(Template.text(of:)) ?? id
        var added: [String] = []
        var removed: [String] = []
        for displayName in granted {
            guard let group = try await client.findGroup(displayName: displayName), case .string(let groupID)? = group["id"] else {
                throw SCIMFailure(
                    result: .permanentFailure,
                    message: "there is no group \"\(displayName)\" on connector \"\(client.connector.name)\" (create it with CREATE_ENTITLEMENT)")
            }
            if Self.members(of: group).contains(id) { continue }
            try await client.patch(
                "/Groups/\(groupID)", [.object(["op": .string("add"), "path": .string("members"), "value": .array([.object(["value": .string(id)])])])])
            added.append(displayName)
        }
        for displayName in revoked {
            guard let group = try await client.findGroup(displayName: displayName), case .string(let groupID)? = group["id"],
                  Self.members(of: group).contains(id)
            else { continue }
            try await client.patch(
                "/Groups/\(groupID)", [.object(["op": .string("remove"), "path": .string("members[value eq \(SCIMClient.literal(id))]")])])
            removed.append(displayName)
        }
        var parts: [String] = []
        if !added.isEmpty { parts.append("added to \(added.joined(separator: ", "))") }
        if !removed.isEmpty { parts.append("removed from \(removed.joined(separator: ", "))") }
        guard !parts.isEmpty else {
            return Outcome(changed: false, message: "user \(name) (\(id)) already has the profiles' memberships")
        }
        return Outcome(
            changed: true, message: "user \(name) (\(id)) \(parts.joined(separator: "; "))",
            output: .object(["added": .array(added.map(JSONValue.string)), "removed": .array(removed.map(JSONValue.string))]))
    }

    /// The user of `identity` and the groups it is a member of (`members.value eq` its id), by
    /// display name; throws when the target has no user for the identity.
    func memberships(of identity: IdentitySnapshot, client: inout SCIMClient) async throws(SCIMFailure) -> (userID: String, groups: [[String: JSONValue]]) {
        guard let found = try await existingUser(identity, client: &client) else {
            throw SCIMFailure(
                result: .permanentFailure,
                message: "no user for identity \(identity.name) (\(identity.id)) on connector \"\(client.connector.name)\": run SYNC_IDENTITIES first")
        }
        let groups = try await client.search("/Groups", filter: "members.value eq \(SCIMClient.literal(found.id))")
            .filter { Self.members(of: $0).contains(found.id) }
            .sorted { ($0["displayName"].map(Template.text(of:)) ?? "") < ($1["displayName"].map(Template.text(of:)) ?? "") }
        return (found.id, groups)
    }

    /// The member ids of a group resource.
    static func members(of group: [String: JSONValue]) -> Set<String> {
        Set((JSONValue.object(group).scimMember("members")?.arrayElements ?? []).compactMap { $0.memberString("value") })
    }

    /// The group names of the profiles named `names`, in order without repeats; each must exist and
    /// belong to `connector`.
    private func groups(of names: [String], connector: Connector) async throws(SCIMFailure) -> [String] {
        guard !names.isEmpty else { return [] }
        let found: [String: AccessProfile]
        do {
            found = try await profiles.profiles(named: names)
        } catch {
            throw SCIMFailure(result: .transientFailure, message: "the access profiles could not be read: \(error)")
        }
        var groups: [String] = []
        for name in names {
            guard let profile = found[name] else {
                throw SCIMFailure(result: .permanentFailure, message: "there is no access profile named \"\(name)\"")
            }
            guard profile.connector == connector.name else {
                throw SCIMFailure(
                    result: .permanentFailure,
                    message: "access profile \"\(name)\" grants groups of connector \"\(profile.connector)\", not of \"\(connector.name)\"")
            }
            for group in profile.groups where !groups.contains(group) { groups.append(group) }
        }
        return groups
    }

    private func createGroup(_ displayName: String, client: inout SCIMClient) async throws(SCIMFailure) -> Outcome {
        if let group = try await client.findGroup(displayName: displayName) {
            return Outcome(changed: false, message: "group \(displayName) already exists (\(group["id"].map(Template.text(of:)) ?? ""))", output: .object(group))
        }
        let body = JSONValue.object(["schemas": .array([.string(SCIMClient.groupSchema)]), "displayName": .string(displayName)])
        let (status, created) = try await client.call("POST", "/Groups", body: body, accepting: [409])
        if status == 409 { return Outcome(changed: false, message: "group \(displayName) already exists") }
        return Outcome(changed: true, message: "created group \(displayName) (\(created.memberString("id") ?? "no id"))", output: created)
    }
}
