import Foundation
import HTTPTypes
import HummingbirdTesting
import Lifecycle
import NIOCore
import Testing
import WardenCore
import WardenTestSupport

@Suite struct SCIMServiceProviderTests {
    static let prefix = "/api/private/lifecycle_management"
    static let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// A SCIM client of one test server: a provisioner key pushing into the source `HR`.
    struct Client {
        let server: TestServer
        let key: String
        let source: String

        init(_ server: TestServer) async throws {
            self.server = server
            let created = try await server.request(.post, "\(SCIMServiceProviderTests.prefix)/identity_sources", json: #"{"name": "HR", "entity_type": "HRWorker"}"#)
            #expect(created.status == .ok, "\(created.text)")
            source = created.json["id"] as? String ?? ""
            key = try await server.key(.provisioner, source: "HR")
        }

        func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, ifMatch: String? = nil) async throws -> TestResponse {
            var headers: HTTPFields = [.authorization: "Bearer \(key)"]
            if body != nil { headers[.contentType] = "application/scim+json" }
            if let ifMatch { headers[.ifMatch] = ifMatch }
            return try await server.client.execute(uri: "/scim/v2\(path)", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        }

        /// Creates a user and returns its id.
        func createUser(_ userName: String, department: String = "Engineering", extra: String = "") async throws -> String {
            let response = try await send(.post, "/Users", """
                {"schemas": ["\(userURN)", "\(enterpriseURN)"], "userName": "\(userName)", "name": {"givenName": "\(userName.capitalized)", "familyName": "Test"},
                 "emails": [{"value": "\(userName)@example.com", "type": "work", "primary": true}, {"value": "\(userName)@home.example", "type": "home"}],
                 "\(enterpriseURN)": {"department": "\(department)", "employeeNumber": "\(userName.count)"}\(extra)}
                """)
            #expect(response.status == .created, "\(response.text)")
            return response.json["id"] as? String ?? ""
        }

        func list(_ parameters: [(String, String)]) async throws -> [String: Any] {
            let response = try await server.client.execute(
                uri: TestServer.uri("/scim/v2/Users", parameters), method: .get, headers: [.authorization: "Bearer \(key)"], body: nil)
            #expect(response.status == .ok, "\(response.text)")
            return response.json
        }

        func userNames(_ parameters: [(String, String)]) async throws -> [String] {
            (try await list(parameters)["Resources"] as? [[String: Any]] ?? []).compactMap { $0["userName"] as? String }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func usersAreCreatedReadReplacedAndDeletedWithMetaAndVersions(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let scim = try await Client(server)
            let id = try await scim.createUser("ada")
            let fetched = try await scim.send(.get, "/Users/\(id)")
            #expect(fetched.status == .ok && fetched.headers[.contentType] == "application/scim+json")
            let user = fetched.json
            let meta = try #require(user["meta"] as? [String: Any])
            #expect(meta["resourceType"] as? String == "User" && meta["version"] as? String == "W/\"1\"")
            #expect((meta["location"] as? String)?.hasSuffix("/scim/v2/Users/\(id)") == true)
            #expect(fetched.headers[.eTag] == "W/\"1\"")
            #expect((user[Self.enterpriseURN] as? [String: Any])?["department"] as? String == "Engineering")
            #expect(user["password"] == nil)

            let replaced = try await scim.send(.put, "/Users/\(id)", #"{"schemas": ["\#(Self.userURN)"], "userName": "ada", "displayName": "Ada L.", "active": false}"#)
            #expect(replaced.status == .ok, "\(replaced.text)")
            #expect(replaced.json["displayName"] as? String == "Ada L." && replaced.json["active"] as? Bool == false && replaced.json["emails"] == nil)
            #expect(replaced.headers[.eTag] == "W/\"2\"")

            let identity = try await server.request(.get, "\(Self.prefix)/identities?filter=" + #"source_id eq "\#(scim.source)""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let identities = identity.json["values"] as? [[String: Any]] ?? []
            #expect(identities.count == 1)
            let attributes = identities.first?["attributes"] as? [String: Any] ?? [:]
            #expect(attributes["userName"] as? String == "ada" && attributes["active"] as? Bool == false && attributes["id"] as? String == id)

            #expect(try await scim.send(.delete, "/Users/\(id)").status == .noContent)
            try await scim.send(.get, "/Users/\(id)").expectSCIMError(status: 404)
            let left = try await server.request(.get, "\(Self.prefix)/identities/\(identities.first?["id"] as? String ?? "")")
            #expect(left.json["value"].flatMap { ($0 as? [String: Any])?["active"] as? Bool } == false)
            let history = ((left.json["value"] as? [String: Any])?["history"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(history == ["JOINED", "CHANGED", "LEFT"])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func listsFilterSortAndPage(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let scim = try await Client(server)
            for (name, department) in [("carol", "Sales"), ("alan", "Research"), ("bob", "Engineering"), ("dora", "Engineering")] {
                _ = try await scim.createUser(name, department: department)
            }
            #expect(try await scim.userNames([("filter", #"userName eq "BOB""#)]) == ["bob"])
            #expect(try await scim.userNames([("filter", #"emails[type eq "work" and value sw "a"]"#), ("sortBy", "userName")]) == ["alan"])
            #expect(try await scim.userNames([("filter", #"\#(Self.enterpriseURN):department eq "Engineering""#), ("sortBy", "userName"), ("sortOrder", "descending")]) == ["dora", "bob"])
            #expect(try await scim.userNames([("filter", #"name.givenName co "o" and not (userName eq "bob")"#), ("sortBy", "userName")]) == ["carol", "dora"])
            // The database answers filters on single-valued attributes; a clause on a multi-valued one
            // (emails) sends the whole filter to the in-memory evaluator. Both answer alike.
            for filter in [
                #"userName gt "b""#, #"title pr"#, #"active eq true"#, #"not (active eq true)"#, #"userName ne "bob""#, #"meta.created gt "2000-01-01T00:00:00Z""#,
                #"name.familyName eq "TEST" and not (\#(Self.enterpriseURN):department eq "Sales")"#, #"displayName eq null"#, #"id sw "0" or id sw "a""#,
            ] {
                let inDatabase = try await scim.userNames([("filter", filter), ("sortBy", "userName")])
                let inMemory = try await scim.userNames([("filter", "(\(filter)) and (emails pr or not (emails pr))"), ("sortBy", "userName")])
                #expect(inDatabase == inMemory, "\(filter)")
            }
            #expect(try await scim.userNames([("filter", #"userName gt "b""#), ("sortBy", "userName")]) == ["bob", "carol", "dora"])
            let page = try await scim.list([("sortBy", "userName"), ("startIndex", "2"), ("count", "2")])
            #expect(page["totalResults"] as? Int == 4 && page["startIndex"] as? Int == 2 && page["itemsPerPage"] as? Int == 2)
            #expect((page["Resources"] as? [[String: Any]] ?? []).compactMap { $0["userName"] as? String } == ["bob", "carol"])
            let searched = try await scim.send(.post, "/Users/.search", #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "userName sw \"d\" or userName sw \"c\"", "sortBy": "userName", "count": 1}"#)
            #expect(searched.json["totalResults"] as? Int == 2 && (searched.json["Resources"] as? [[String: Any]])?.first?["userName"] as? String == "carol")
            let everything = try await scim.send(.post, "/.search", #"{"filter": "meta.resourceType eq \"User\""}"#)
            #expect(everything.json["totalResults"] as? Int == 4, "\(everything.text)")
            let projected = try await scim.list([("filter", #"userName eq "bob""#), ("attributes", "userName")])
            let only = try #require((projected["Resources"] as? [[String: Any]])?.first)
            #expect(Set(only.keys) == ["id", "schemas", "meta", "userName"])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func patchAppliesPathFiltersAndGroupsReachTheIdentity(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let scim = try await Client(server)
            let ada = try await scim.createUser("ada")
            let bob = try await scim.createUser("bob")
            let patched = try await scim.send(.patch, "/Users/\(ada)", """
                {"schemas": ["\(Self.patchURN)"], "Operations": [
                  {"op": "replace", "path": "emails[type eq \\"work\\"].value", "value": "ada@corp.example"},
                  {"op": "remove", "path": "emails[type eq \\"home\\"]"},
                  {"op": "Add", "path": "name.middleName", "value": "King"},
                  {"op": "replace", "value": {"displayName": "Ada", "\(Self.enterpriseURN):department": "Research"}}]}
                """, ifMatch: "W/\"1\"")
            #expect(patched.status == .ok, "\(patched.text)")
            let emails = patched.json["emails"] as? [[String: Any]] ?? []
            #expect(emails.count == 1 && emails.first?["value"] as? String == "ada@corp.example")
            #expect((patched.json["name"] as? [String: Any])?["middleName"] as? String == "King" && patched.json["displayName"] as? String == "Ada")
            #expect((patched.json[Self.enterpriseURN] as? [String: Any])?["department"] as? String == "Research")
            let whole = try await scim.send(.patch, "/Users/\(ada)", #"{"schemas": ["\#(Self.patchURN)"], "Operations": [{"op": "add", "path": "externalId", "value": "HR-1"}, {"op": "remove", "path": "\#(Self.enterpriseURN)"}]}"#)
            #expect(whole.status == .ok, "\(whole.text)")
            #expect(whole.json["externalId"] as? String == "HR-1" && whole.json[Self.enterpriseURN] == nil && whole.json["schemas"] as? [String] == [Self.userURN])

            let group = try await scim.send(.post, "/Groups", #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineers", "members": [{"value": "\#(ada)"}, {"value": "\#(bob)"}]}"#)
            #expect(group.status == .created, "\(group.text)")
            let groupID = group.json["id"] as? String ?? ""
            let removed = try await scim.send(.patch, "/Groups/\(groupID)", #"{"schemas": ["\#(Self.patchURN)"], "Operations": [{"op": "remove", "path": "members[value eq \"\#(bob)\"]"}]}"#)
            #expect(removed.status == .ok, "\(removed.text)")
            #expect((removed.json["members"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } == [ada])
            let user = try await scim.send(.get, "/Users/\(ada)")
            #expect((user.json["groups"] as? [[String: Any]] ?? []).compactMap { $0["display"] as? String } == ["Engineers"])

            let identities = try await server.request(.get, "\(Self.prefix)/identities?page_size=10")
            let byUser = Dictionary(uniqueKeysWithValues: (identities.json["values"] as? [[String: Any]] ?? []).map {
                (($0["attributes"] as? [String: Any])?["userName"] as? String ?? "", ($0["attributes"] as? [String: Any])?["groups"] as? [String] ?? ["?"])
            })
            #expect(byUser == ["ada": ["Engineers"], "bob": []])
            let bobIdentity = (identities.json["values"] as? [[String: Any]] ?? []).first { ($0["attributes"] as? [String: Any])?["userName"] as? String == "bob" }
            let event = try await server.request(.get, "\(Self.prefix)/extraction_events/\(bobIdentity?["last_extraction_event"] as? String ?? "")")
            let removal = event.json["value"] as? [String: Any] ?? [:]
            #expect(removal["identities_read"] as? Int == 1 && removal["changed"] as? Int == 1, "only the removed member is pushed: \(removal)")

            let renamed = try await scim.send(.patch, "/Groups/\(groupID)", #"{"schemas": ["\#(Self.patchURN)"], "Operations": [{"op": "replace", "path": "displayName", "value": "Builders"}]}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            let after = try await server.request(.get, "\(Self.prefix)/identities?page_size=10")
            let groupsAfter = (after.json["values"] as? [[String: Any]] ?? []).compactMap { ($0["attributes"] as? [String: Any])?["groups"] as? [String] }
            #expect(groupsAfter.sorted { $0.count < $1.count } == [[], ["Builders"]])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func everyFailureIsAnSCIMErrorWithItsType(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let scim = try await Client(server)
            let ada = try await scim.createUser("ada")
            try await scim.send(.post, "/Users", #"{"schemas": ["\#(Self.userURN)"], "userName": "ADA"}"#).expectSCIMError(status: 409, scimType: "uniqueness")
            try await scim.send(.post, "/Users", "{not json").expectSCIMError(status: 400, scimType: "invalidSyntax")
            try await scim.send(.post, "/Users", #"{"schemas": ["\#(Self.userURN)"]}"#).expectSCIMError(status: 400, scimType: "invalidValue")
            try await scim.send(.post, "/Users", #"{"schemas": ["\#(Self.userURN)"], "userName": "x", "active": "maybe"}"#).expectSCIMError(status: 400, scimType: "invalidValue")
            try await scim.send(.get, "/Users?filter=" + "userName eq".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).expectSCIMError(status: 400, scimType: "invalidFilter")
            try await scim.send(.get, "/Users?filter=" + #"shoeSize gt 3"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).expectSCIMError(status: 400, scimType: "invalidFilter")
            let patch = { (operation: String) in #"{"schemas": ["\#(Self.patchURN)"], "Operations": [\#(operation)]}"# }
            try await scim.send(.patch, "/Users/\(ada)", patch(#"{"op": "replace", "path": "shoeSize", "value": 3}"#)).expectSCIMError(status: 400, scimType: "invalidPath")
            try await scim.send(.patch, "/Users/\(ada)", patch(#"{"op": "replace", "path": "emails[type eq \"fax\"].value", "value": "x"}"#)).expectSCIMError(status: 400, scimType: "noTarget")
            try await scim.send(.patch, "/Users/\(ada)", patch(#"{"op": "remove"}"#)).expectSCIMError(status: 400, scimType: "noTarget")
            try await scim.send(.patch, "/Users/\(ada)", patch(#"{"op": "replace", "path": "groups", "value": []}"#)).expectSCIMError(status: 400, scimType: "mutability")
            try await scim.send(.patch, "/Users/\(ada)", patch(#"{"op": "move", "path": "userName"}"#)).expectSCIMError(status: 400, scimType: "invalidSyntax")
            try await scim.send(.put, "/Users/\(ada)", #"{"schemas": ["\#(Self.userURN)"], "id": "other", "userName": "ada"}"#).expectSCIMError(status: 400, scimType: "mutability")
            try await scim.send(.put, "/Users/\(ada)", #"{"schemas": ["\#(Self.userURN)"], "userName": "ada"}"#, ifMatch: "W/\"7\"").expectSCIMError(status: 412, scimType: "invalidVers")
            try await scim.send(.delete, "/Users/\(ada)", ifMatch: "W/\"7\"").expectSCIMError(status: 412, scimType: "invalidVers")
            try await scim.send(.get, "/Users/nobody").expectSCIMError(status: 404)
            try await scim.send(.get, "/Nothing").expectSCIMError(status: 404)
            try await scim.send(.delete, "/Schemas").expectSCIMError(status: 405)
            try await scim.send(.post, "/Users/\(ada)", "{}").expectSCIMError(status: 405)
            try await scim.send(.post, "/Groups", #"{"displayName": "G", "members": [{"value": "nobody"}]}"#).expectSCIMError(status: 400, scimType: "invalidValue")
            let anonymous = try await server.client.execute(uri: "/scim/v2/Users", method: .get, headers: [:], body: nil)
            anonymous.expectSCIMError(status: 401)
            #expect(try await scim.send(.get, "/Users/\(ada)").headers[.eTag] == "W/\"1\"", "a refused change leaves the user as it was")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aPushedUserStartsAJoinerTaskAndAMoverOnADepartmentChange(kind: DatabaseKind) async throws {
        try await TestServer.run(kind, runner: RunnerSettings(concurrency: 0)) { server in
            let scim = try await Client(server)
            _ = try await TaskPlannerTests.runningPolicy(server, source: scim.source)
            let ada = try await scim.createUser("ada")
            #expect(try await TaskPlannerTests.tasks(server, #"workflow eq "Joiner""#).compactMap { $0["entity_id"] as? String } == [ada])
            let moved = try await scim.send(.patch, "/Users/\(ada)", #"{"schemas": ["\#(Self.patchURN)"], "Operations": [{"op": "replace", "path": "\#(Self.enterpriseURN):department", "value": "Research"}]}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            let mover = try await TaskPlannerTests.tasks(server, #"workflow eq "Mover""#)
            #expect(mover.count == 1 && mover.first?["reason"] as? String == "CHANGED: department")
            #expect(try await scim.send(.delete, "/Users/\(ada)").status == .noContent)
            #expect(try await TaskPlannerTests.tasks(server, #"workflow eq "Leaver""#).count == 1)
        }
    }

    @Test func aProvisionerKeyIsRefusedOutsideSCIMAndOthersInsideIt() async throws {
        try await TestServer.run { server in
            let scim = try await Client(server)
            try await server.request(.get, "\(Self.prefix)/identities", key: scim.key).expectEnvelope(status: 403, code: "PermissionDenied")
            try await server.request(.get, "/api/preview/keys", key: scim.key).expectEnvelope(status: 403, code: "PermissionDenied")
            let admin = try await server.client.execute(uri: "/scim/v2/Users", method: .get, headers: [.authorization: "Bearer \(server.adminKey)"], body: nil)
            #expect(admin.expectSCIMError(status: 403).contains("scimListUsers"))
            let orphan = try await server.key(.provisioner, source: "Nowhere")
            let refused = try await server.client.execute(uri: "/scim/v2/Users", method: .get, headers: [.authorization: "Bearer \(orphan)"], body: nil)
            #expect(refused.expectSCIMError(status: 403).contains("Nowhere"))
            let config = try await scim.send(.get, "/ServiceProviderConfig")
            #expect((config.json["patch"] as? [String: Any])?["supported"] as? Bool == true)
            let types = try await scim.send(.get, "/ResourceTypes")
            #expect((types.json["Resources"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == ["User", "Group"])
        }
    }
}
