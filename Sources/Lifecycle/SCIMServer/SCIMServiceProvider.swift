import Foundation
import SCIMFilter
import WardenCore

/// What `/scim/v2` does with pushed Users and Groups: checks them, stores them beside the
/// identities, and turns every change into an extraction event of the key's source, so policies
/// trigger as they do for an import (see `docs/scim.md`).
struct SCIMServiceProvider: Sendable {
    let database: Database
    let store: SCIMResourceStore
    let importer: IdentityImporter
    let clock: LifecycleClock
    /// Creates the tasks an applied push's changes trigger, in the push's transaction.
    let plan: @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks

    init(database: Database, clock: LifecycleClock, plan: @escaping @Sendable (ExtractionEvent, DatabaseConnection) async throws -> PlannedTasks) {
        self.database = database
        store = SCIMResourceStore(database: database)
        importer = IdentityImporter(database: database, clock: clock)
        self.clock = clock
        self.plan = plan
    }

    /// The source a provisioner's key pushes into; a 403 when the key names none that exists.
    func source(of key: APIKey) async throws -> IdentitySource {
        guard !key.identitySource.isEmpty, let source = try await IdentitySourceStore(database: database).find(key.identitySource, countingIdentities: false) else {
            throw SCIMError(
                status: 403, nil,
                "the API key \"\(key.name)\" pushes into the identity source \"\(key.identitySource)\", which does not exist; create it, or a key for another source")
        }
        return source
    }

    /// The resource as SCIM shows it; a User with the Groups that hold it.
    func json(_ resource: SCIMResource, baseURL: String) async throws -> JSONValue {
        try await render([resource], sourceID: resource.sourceID, baseURL: baseURL)[0]
    }

    /// The ListResponse `query` asks for of the source's resources of `type`: filtered, sorted and
    /// paged in the database where the catalog allows, else in memory.
    func list(_ type: SCIMResourceType, query: SCIMListQuery, source: IdentitySource, baseURL: String) async throws -> JSONValue {
        if let (total, page) = try await store.page(type, sourceID: source.id, query: query) {
            return query.listResponse(total: total, page: try await render(page, sourceID: source.id, baseURL: baseURL))
        }
        return try query.page(try await all(type, source: source, baseURL: baseURL, uniqueKey: query.uniqueKey(of: type)))
    }

    /// Every resource of `type` in the source as SCIM shows them; with `uniqueKey`, only the one
    /// whose unique attribute has that lower-cased value.
    func all(_ type: SCIMResourceType, source: IdentitySource, baseURL: String, uniqueKey: String? = nil) async throws -> [JSONValue] {
        try await render(try await store.all(type, sourceID: source.id, uniqueKey: uniqueKey), sourceID: source.id, baseURL: baseURL)
    }

    /// Resources as SCIM shows them; Users with the Groups that hold them.
    private func render(_ resources: [SCIMResource], sourceID: String, baseURL: String) async throws -> [JSONValue] {
        guard resources.contains(where: { $0.type == .user }) else { return resources.map { $0.json(baseURL: baseURL) } }
        var groupsByMember: [String: [SCIMResource]] = [:]
        for group in try await store.all(.group, sourceID: sourceID) {
            for member in group.memberIDs { groupsByMember[member, default: []].append(group) }
        }
        return resources.map { $0.json(baseURL: baseURL, groups: groupsByMember[$0.id] ?? []) }
    }

    /// The resource of `type` with this id; a 404 when the source has none.
    func get(_ type: SCIMResourceType, id: String, source: IdentitySource) async throws -> SCIMResource {
        guard let resource = try await store.find(type, id: id, sourceID: source.id) else { throw SCIMError.notFound("\(type.rawValue) \(id)") }
        return resource
    }

    /// Creates a resource from a client's body.
    func create(_ type: SCIMResourceType, body: JSONValue, source: IdentitySource, by actor: String) async throws -> SCIMResource {
        let now = clock.now
        let resource = SCIMResource(
            id: UUID().uuidString.lowercased(), sourceID: source.id, type: type, attributes: try type.validated(body), version: 1, createdAt: now, updatedAt: now)
        try await commit(resource, replacing: nil, source: source, by: actor)
        return resource
    }

    /// Creates Users from clients' bodies as one push: each checked as a POST's body, all stored with
    /// their identities in one extraction event. A userName the batch repeats or the source already
    /// has fails the whole batch.
    func createUsers(_ bodies: [JSONValue], source: IdentitySource, by actor: String) async throws {
        let now = clock.now
        let users = try bodies.map { body in
            SCIMResource(
                id: UUID().uuidString.lowercased(), sourceID: source.id, type: .user, attributes: try SCIMResourceType.user.validated(body),
                version: 1, createdAt: now, updatedAt: now)
        }
        guard Set(users.map(\.uniqueKey)).count == users.count else {
            throw SCIMError(status: 409, .uniqueness, "two of the Users have the same userName")
        }
        let identities = users.map { $0.identityAttributes(source: source, groups: []) }
        let (store, plan) = (store, plan)
        _ = try await importer.push(source: source, identities: identities, leaving: nil, by: actor) { event, connection in
            for user in users { try await store.save(user, on: connection) }
            return try await plan(event, connection)
        }
    }

    /// How a client changes a resource.
    enum Edit: Sendable {
        /// PUT: the body is the whole new resource.
        case replace
        /// PATCH: the body is a PatchOp.
        case patch
    }

    /// Changes a resource with a client's body, when `ifMatch` (if given) names its version.
    func edit(_ edit: Edit, _ type: SCIMResourceType, id: String, body: JSONValue, ifMatch: String?, source: IdentitySource, by actor: String) async throws -> SCIMResource {
        let existing = try await get(type, id: id, source: source)
        try Self.check(ifMatch, against: existing)
        let attributes: [String: JSONValue]
        switch edit {
        case .replace:
            if case .object(let object) = body, case .string(let sent)? = object.first(where: { $0.key.lowercased() == "id" })?.value, sent != id {
                throw SCIMError.badRequest(.mutability, "id is read-only: the body's id \(sent) is not \(id)")
            }
            attributes = try type.validated(body)
        case .patch:
            attributes = try type.validated(.object(try SCIMPatch(body).applied(to: existing.attributes, type: type)))
        }
        return try await commit(changing: existing, to: attributes, source: source, by: actor)
    }

    /// Deletes a resource: a User's identity leaves, a Group's members lose it.
    func delete(_ type: SCIMResourceType, id: String, ifMatch: String?, source: IdentitySource, by actor: String) async throws {
        let existing = try await get(type, id: id, source: source)
        try Self.check(ifMatch, against: existing)
        try await commit(nil, replacing: existing, source: source, by: actor)
    }

    private func commit(changing existing: SCIMResource, to attributes: [String: JSONValue], source: IdentitySource, by actor: String) async throws -> SCIMResource {
        guard attributes != existing.attributes else { return existing }
        var resource = existing
        resource.attributes = attributes
        resource.version += 1
        resource.updatedAt = clock.now
        try await commit(resource, replacing: existing, source: source, by: actor)
        return resource
    }

    /// A 412 when `ifMatch` is given and names no version of `resource` (`*` names every one).
    static func check(_ ifMatch: String?, against resource: SCIMResource) throws(SCIMError) {
        guard let ifMatch, !ifMatch.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let tags = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard tags.contains("*") || tags.contains(where: { strong($0) == strong(resource.etag) }) else {
            throw SCIMError(status: 412, .invalidVers, "If-Match \(ifMatch) does not match the \(resource.type.rawValue)'s version \(resource.etag)")
        }
    }

    private static func strong(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }

    /// Writes `resource` (nil: deletes `old`) as one extraction event of the source: the Users whose
    /// identities change join, change or leave, and the resource is written in the same transaction.
    private func commit(_ resource: SCIMResource?, replacing old: SCIMResource?, source: IdentitySource, by actor: String) async throws {
        if let resource, try await store.isTaken(by: resource) {
            throw SCIMError(status: 409, .uniqueness, "another \(resource.type.rawValue) of this source has the \(resource.type.uniqueAttribute) \"\(resource.uniqueKey)\"")
        }
        var groups = try await store.all(.group, sourceID: source.id)
        let type = (resource ?? old)?.type ?? .user
        var changedGroups: [SCIMResource] = []
        var pushed: [SCIMResource] = []
        var leaving: String?
        switch type {
        case .user:
            if let resource {
                pushed = [resource]
            } else if let old {
                leaving = ImportedIdentity.identityID(sourceID: source.id, entityID: old.id)
                for index in groups.indices where groups[index].memberIDs.contains(old.id) {
                    groups[index].attributes["members"] = Self.members(groups[index], without: old.id)
                    groups[index].version += 1
                    groups[index].updatedAt = clock.now
                    changedGroups.append(groups[index])
                }
            }
        case .group:
            // The Users whose `groups` change: all members when the name changes, else those added or removed.
            let before = Set(old?.memberIDs ?? [])
            let after = Set(resource?.memberIDs ?? [])
            let affected = resource?.displayName == old?.displayName ? before.symmetricDifference(after) : before.union(after)
            let users = try await store.find(.user, ids: affected, sourceID: source.id)
            if let resource {
                let unknown = after.subtracting(before).filter { users[$0] == nil }.sorted()
                guard unknown.isEmpty else {
                    throw SCIMError.badRequest(.invalidValue, "members: no User of this source has the id \(unknown.joined(separator: ", "))")
                }
            }
            groups.removeAll { $0.id == (resource ?? old)?.id }
            if let resource { groups.append(resource) }
            pushed = users.keys.sorted().compactMap { users[$0] }
        }
        let identities = pushed.map { user in
            user.identityAttributes(source: source, groups: groups.filter { $0.memberIDs.contains(user.id) }.map(\.displayName))
        }
        let (store, plan) = (store, plan)
        let write: @Sendable (DatabaseConnection) async throws -> Void = { [changedGroups] connection in
            let current = try await store.find(type, id: (resource ?? old)!.id, sourceID: source.id, on: connection)
            guard current?.version == old?.version else {
                throw SCIMError(status: 409, nil, "the \(type.rawValue) changed while this request was applied; send it again")
            }
            if let resource { try await store.save(resource, on: connection) } else if let old { try await store.delete(id: old.id, on: connection) }
            for group in changedGroups { try await store.save(group, on: connection) }
        }
        guard !identities.isEmpty || leaving != nil else {
            try await database.transaction { try await write($0) }
            return
        }
        _ = try await importer.push(source: source, identities: identities, leaving: leaving, by: actor) { event, connection in
            try await write(connection)
            return try await plan(event, connection)
        }
    }

    private static func members(_ group: SCIMResource, without id: String) -> JSONValue? {
        guard case .array(let members)? = group.attributes["members"] else { return nil }
        let kept = members.filter { member in
            if case .object(let object) = member, object["value"] == .string(id) { return false }
            return true
        }
        return kept.isEmpty ? nil : .array(kept)
    }
}
