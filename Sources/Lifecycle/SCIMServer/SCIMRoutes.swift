import Foundation
import Hummingbird
import NIOCore
import SCIMFilter
import WardenCore

/// The SCIM 2.0 service provider at `/scim/v2` (RFC 7644): discovery, Users and Groups. Only a
/// provisioner's key may call it; its pushes go into the key's identity source. Every error is
/// SCIM's error body (the server's error middleware writes it for every path under `/scim/v2`).
struct SCIMRoutes: Sendable {
    let provider: SCIMServiceProvider

    static let path = SCIMError.pathPrefix

    static let serviceProviderConfig: JSONValue = [
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/warden/warden/blob/main/docs/scim.md",
        "patch": ["supported": true],
        "bulk": ["supported": false, "maxOperations": 0, "maxPayloadSize": 0],
        "filter": ["supported": true, "maxResults": .number(Double(SCIMListQuery.maximumCount))],
        "changePassword": ["supported": false],
        "sort": ["supported": true],
        "etag": ["supported": true],
        "authenticationSchemes": [[
            "type": "oauthbearertoken", "name": "API key", "primary": true,
            "description": "A Warden API key with the provisioner role, sent as Authorization: Bearer <key>",
        ]],
        "meta": ["resourceType": "ServiceProviderConfig", "location": "/scim/v2/ServiceProviderConfig"],
    ]

    /// `scheme://host/scim/v2` of the request, which `meta.location` and `$ref` start with.
    static func baseURL(_ request: Request) -> String {
        "\(request.head.scheme ?? "http")://\(request.head.authority ?? "localhost")\(path)"
    }

    /// The request's body as JSON; anything else is an invalidSyntax 400.
    static func body(_ request: Request, context: WardenRequestContext) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer)) else {
            throw SCIMError.badRequest(.invalidSyntax, "the body is not JSON")
        }
        return value
    }

    private static func listResponse(_ values: [JSONValue]) -> JSONValue {
        [
            "schemas": [.string(SCIMSchema.listURN)], "totalResults": .number(Double(values.count)), "startIndex": 1,
            "itemsPerPage": .number(Double(values.count)), "Resources": .array(values),
        ]
    }

    func add(to scim: RouterGroup<WardenRequestContext>) {
        scim.get("ServiceProviderConfig") { _, context in
            try context.require(.scimGetServiceProviderConfig)
            return SCIMResponse(body: Self.serviceProviderConfig)
        }
        addDiscovery("Schemas", to: scim, list: .scimListSchemas, get: .scimGetSchema) { baseURL in
            SCIMSchema.all.map { ($0.id, $0.json(baseURL: baseURL)) }
        }
        addDiscovery("ResourceTypes", to: scim, list: .scimListResourceTypes, get: .scimGetResourceType) { baseURL in
            SCIMResourceType.allCases.map { ($0.rawValue, $0.json(baseURL: baseURL)) }
        }
        addResources(.user, to: scim, operations: (.scimListUsers, .scimSearchUsers, .scimCreateUser, .scimGetUser, .scimReplaceUser, .scimPatchUser, .scimDeleteUser))
        addResources(.group, to: scim, operations: (.scimListGroups, .scimSearchGroups, .scimCreateGroup, .scimGetGroup, .scimReplaceGroup, .scimPatchGroup, .scimDeleteGroup))
        let provider = provider
        scim.post(".search") { request, context in
            let key = try context.require(.scimSearch)
            let parameters = try SCIMListQuery.parameters(ofSearchRequest: try await Self.body(request, context: context))
            var queries: [(SCIMResourceType, SCIMListQuery)] = []
            var firstError: SCIMError?
            for type in SCIMResourceType.allCases {
                do {
                    queries.append((type, try SCIMListQuery(parameters, type: type)))
                } catch let error as SCIMError {
                    firstError = firstError ?? error
                }
            }
            guard let (_, first) = queries.first else { throw firstError ?? SCIMError.badRequest(.invalidFilter, "the filter fits no resource type") }
            let source = try await provider.source(of: key)
            var matching: [JSONValue] = []
            for (type, query) in queries {
                matching += try query.matching(try await provider.all(type, source: source, baseURL: Self.baseURL(request)))
            }
            return SCIMResponse(body: first.paged(matching))
        }
    }

    /// Whether `path` is one `/scim/v2` serves with some method: a request that matched no route
    /// there used another method (405).
    static func serves(_ path: String) -> Bool {
        guard path.hasPrefix(Self.path + "/") else { return false }
        let segments = path.dropFirst(Self.path.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        switch segments.count {
        case 1: return ["ServiceProviderConfig", "Schemas", "ResourceTypes", "Users", "Groups", ".search"].contains(segments[0])
        case 2: return ["Schemas", "ResourceTypes", "Users", "Groups"].contains(segments[0]) && !segments[1].isEmpty
        default: return false
        }
    }

    /// A discovery collection (`Schemas`, `ResourceTypes`): its list, and each document by id (ignoring case).
    private func addDiscovery(
        _ collection: String, to scim: RouterGroup<WardenRequestContext>, list: APIOperation, get: APIOperation,
        documents: @escaping @Sendable (_ baseURL: String) -> [(id: String, json: JSONValue)]
    ) {
        scim.get(.init(collection)) { request, context in
            try context.require(list)
            return SCIMResponse(body: Self.listResponse(documents(Self.baseURL(request)).map(\.json)))
        }
        scim.get(.init("\(collection)/{id}")) { request, context in
            try context.require(get)
            let id = try context.pathParameter("id")
            guard let document = documents(Self.baseURL(request)).first(where: { $0.id.lowercased() == id.lowercased() }) else {
                throw SCIMError.notFound("\(collection) \(id)")
            }
            return SCIMResponse(body: document.json)
        }
    }

    private func addResources(
        _ type: SCIMResourceType, to scim: RouterGroup<WardenRequestContext>,
        operations: (list: APIOperation, search: APIOperation, create: APIOperation, get: APIOperation, replace: APIOperation, patch: APIOperation, delete: APIOperation)
    ) {
        let provider = provider
        let collection = String(type.endpoint.dropFirst())
        scim.get(.init(collection)) { request, context in
            let key = try context.require(operations.list)
            let query = try SCIMListQuery(request.formQuery, type: type)
            let source = try await provider.source(of: key)
            return SCIMResponse(body: try await provider.list(type, query: query, source: source, baseURL: Self.baseURL(request)))
        }
        scim.post(.init("\(collection)/.search")) { request, context in
            let key = try context.require(operations.search)
            let query = try SCIMListQuery(searchRequest: try await Self.body(request, context: context), type: type)
            let source = try await provider.source(of: key)
            return SCIMResponse(body: try await provider.list(type, query: query, source: source, baseURL: Self.baseURL(request)))
        }
        scim.post(.init(collection)) { request, context in
            let key = try context.require(operations.create)
            let source = try await provider.source(of: key)
            let resource = try await provider.create(type, body: try await Self.body(request, context: context), source: source, by: key.name)
            return SCIMResponse(resource: try await provider.json(resource, baseURL: Self.baseURL(request)), status: .created)
        }
        scim.get(.init("\(collection)/{id}")) { request, context in
            let key = try context.require(operations.get)
            let source = try await provider.source(of: key)
            let resource = try await provider.get(type, id: try context.pathParameter("id"), source: source)
            if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == resource.etag }) {
                return Response(status: .notModified, headers: [.eTag: resource.etag])
            }
            let query = try SCIMListQuery(request.formQuery, type: type)
            return try SCIMResponse(resource: query.projected(try await provider.json(resource, baseURL: Self.baseURL(request))))
                .response(from: request, context: context)
        }
        for (method, operation, edit) in [(HTTPRequest.Method.put, operations.replace, SCIMServiceProvider.Edit.replace), (.patch, operations.patch, .patch)] {
            scim.on(.init("\(collection)/{id}"), method: method) { request, context in
                let key = try context.require(operation)
                let source = try await provider.source(of: key)
                let resource = try await provider.edit(
                    edit, type, id: try context.pathParameter("id"), body: try await Self.body(request, context: context),
                    ifMatch: request.headers[.ifMatch], source: source, by: key.name)
                return SCIMResponse(resource: try await provider.json(resource, baseURL: Self.baseURL(request)))
            }
        }
        scim.delete(.init("\(collection)/{id}")) { request, context in
            let key = try context.require(operations.delete)
            let source = try await provider.source(of: key)
            try await provider.delete(type, id: try context.pathParameter("id"), ifMatch: request.headers[.ifMatch], source: source, by: key.name)
            return Response(status: .noContent)
        }
    }
}
