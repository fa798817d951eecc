import ArgumentParser
import AsyncHTTPClient
import Foundation
import Lifecycle
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SCIMFilter
import NIOHTTP1
import ServiceLifecycle
import WardenCore
import WardenServer

/// N joiners provisioned into PyPI's `scim2-server` by a policy whose joiner workflow runs
/// SYNC_IDENTITIES then MANAGE_RELATIONSHIPS granting the access profile of the joiner's site (one
/// group each, 40 sites); beside it, the ceiling: a plain AsyncHTTPClient loop at the runner's
/// concurrency sending, per joiner, the requests provisioning needs (look the user up, create it, add
/// it to its group) to a fresh server.
struct SCIMProvisionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scim-provision", abstract: "Provisioning joiners into scim2-server against a plain SCIM client loop.")

    @Option(help: "Joiners in the extraction.")
    var joiners: Int = 10_000

    @Option(help: "Tasks run at once, by the runner and by the ceiling's loop.")
    var concurrency: Int = RunnerSettings().concurrency

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its lifecycle and activity tables are emptied).")
    var postgresURL: String?

    /// The joiners' `location` values (`Site 0` … `Site 39`), each a group of the target.
    static let sites = (0..<40).map { "Site \($0)" }
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"

    func run() async throws {
        try await withLifecycleDatabase(postgresURL: postgresURL) { database, folder, logger in
            let file = folder.appendingPathComponent("joiners.csv").path
            try IdentityImportBenchmark.writeExport(to: file, count: joiners, variant: 0)
            print("database: \(database.kind.rawValue), \(joiners) joiners (SYNC_IDENTITIES + MANAGE_RELATIONSHIPS of one of \(Self.sites.count) site groups), concurrency \(concurrency), load \(Self.loadAverage())")

            let warden = try await SCIMTargetServer.run { scim in
                try await provision(database: database, scim: scim, file: file, logger: logger)
            }
            let ceiling = try await SCIMTargetServer.run { scim in
                try await Self.ceiling(scim, joiners: joiners, concurrency: concurrency)
            }
            print(Self.label("ceiling: AsyncHTTPClient loop", 40) + String(format: " %8.2f s  %8.0f joiners/s  %6.2f requests/joiner",
                         ceiling, Double(joiners) / ceiling, 3.0))
            print(Self.label("Warden / ceiling (joiners/s)", 40) + String(format: " %8.2f×  (target ≥ 0.5×)", ceiling / warden))
            print("load after: \(Self.loadAverage())")
        }
    }

    /// Imports the joiners, runs the runner until every task finished, checks the target, prints
    /// Warden's rows and answers the runner's seconds.
    private func provision(database: Database, scim: SCIMTargetServer, file: String, logger: Logger) async throws -> Double {
        let engine = LifecycleEngine(
            database: database, connectors: ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "bench").ring),
            settings: RunnerSettings(concurrency: concurrency), logger: logger)
        for site in Self.sites { _ = try await scim.createGroup(site) }
        let source = try await setUp(engine, scim: scim)
        let importStart = ContinuousClock.now
        let event = try await engine.importIdentities(into: source, mode: .full, contentType: "text/csv", body: try FileChunks(path: file), by: "bench")
        print(Self.label("import and plan", 40) + String(format: " %8.2f s  (%lld tasks created)", (ContinuousClock.now - importStart).inSeconds, event.tasksCreated))

        let runStart = ContinuousClock.now
        let group = ServiceGroup(services: [engine.runner()], gracefulShutdownSignals: [], logger: logger)
        let seconds = try await withThrowingTaskGroup(of: Double.self) { tasks in
            tasks.addTask { try await group.run(); return 0 }
            while try await LifecycleBenchmark.finished(database) < event.tasksCreated {
                try await Task.sleep(for: .milliseconds(100))
            }
            let seconds = (ContinuousClock.now - runStart).inSeconds
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return seconds
        }
        let completed = try await Self.count(database, "SELECT COUNT(*) FROM lcm_workflow_tasks WHERE state = 'COMPLETED'")
        let users = try await scim.userCount()
        let members = try await scim.memberCount(of: Self.sites)
        guard completed == joiners, users == joiners, members == joiners else {
            throw BenchError("after the run: \(completed) of \(joiners) tasks COMPLETED, scim2-server holds \(users) users, the groups \(members) members")
        }
        let requests = try await Self.requestsByKind(database)
        let total = requests.reduce(0) { $0 + $1.count }
        print(Self.label("Warden runner", 40) + String(format: " %8.2f s  %8.0f joiners/s  %6.2f requests/joiner  (checked: %d tasks COMPLETED, %d users, %d members)",
                     seconds, Double(joiners) / seconds, Double(total) / Double(joiners), completed, users, members))
        for (kind, count, milliseconds) in requests {
            print(Self.label("  " + kind, 40) + String(format: " %8d  %6.2f per joiner  %8.1f ms mean", count, Double(count) / Double(joiners), milliseconds))
        }
        let lookup = ContinuousClock.now
        let (_, _, bytes) = try await scim.call("GET", "/Groups?filter=" + (#"displayName eq "\#(Self.sites[0])""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        print(Self.label("  GET /Groups?filter=displayName eq, now", 40) + String(format: " %8.1f ms  %8d bytes  (the group lookup MANAGE_RELATIONSHIPS makes, at %d members)",
                     (ContinuousClock.now - lookup).inSeconds * 1e3, bytes, try await scim.memberCount(of: [Self.sites[0]])))
        return seconds
    }

    /// A source, a SCIM connector to `scim`, an access profile per site, and a RUNNING policy whose
    /// joiner workflow syncs the identity and grants its site's profile.
    private func setUp(_ engine: LifecycleEngine, scim: SCIMTargetServer) async throws -> IdentitySource {
        let database = engine.database
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let sources = IdentitySourceStore(database: database)
        let sourceID = try await sources.create(.init(name: "bench-\(suffix)", idAttribute: "employee_id", nameAttribute: "display_name"), by: "bench")
        let connector = "scim-\(suffix)"
        _ = try await engine.connectors.create(try WireJSON.decode(Connector.Input.self, from: Data("""
            {"name": "\(connector)", "type": "SCIM", "base_url": "\(scim.url)", "bearer_token": "\(SCIMTargetServer.token)",
             "attribute_mapping": {"userName": "{email}", "displayName": "{display_name}", "emails[type eq \\"work\\"].value": "{email}",
                                   "\(Self.enterprise):department": "{department}"}}
            """.utf8)), by: "bench")
        var conditions: [String] = []
        var grants: [String] = []
        for (index, site) in Self.sites.enumerated() {
            _ = try await engine.accessProfiles.create(
                try WireJSON.decode(AccessProfile.Input.self, from: Data(#"{"name": "site\#(index)-\#(suffix)", "connector": "\#(connector)", "groups": ["\#(site)"]}"#.utf8)),
                by: "bench")
            conditions.append(#"{"name": "site \#(index)", "condition_string": "location eq \"\#(site)\"", "actions_to_run": [{"name": "grant \#(index)"}]}"#)
            grants.append(#"{"name": "grant \#(index)", "type": "MANAGE_RELATIONSHIPS", "config": {"connector": "\#(connector)", "grant_profiles": ["site\#(index)-\#(suffix)"]}}"#)
        }
        let policy = """
            {"name": "bench \(suffix)", "datasource_ids": ["\(sourceID)"],
             "config": {
               "workflows": [{"name": "Joiner", "trigger": {"changes": ["JOINED"]},
                 "conditions_on_success": [{"name": "all", "actions_to_run": [{"name": "sync"}], "conditions_on_success": [\(conditions.joined(separator: ", "))]}]}],
               "actions": [
                 {"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "\(connector)"}}, \(grants.joined(separator: ", "))
               ]}}
            """
        let policies = engine.policies
        let id = try await policies.create(try WireJSON.decode(JSONValue.self, from: Data(policy.utf8)), by: "bench")
        _ = try await policies.publish(policyID: id, number: 1, by: "bench")
        _ = try await policies.setState(id: id, to: .running, by: "bench")
        return try await sources.get(sourceID)
    }

    /// The SCIM requests the runner's jobs recorded, by method and endpoint (with the filtered
    /// attribute for searches): how many, and their mean duration as the jobs recorded it (each job's
    /// `job_result` is `{attempt, result: {responses}}`); most
    /// frequent first.
    static func requestsByKind(_ database: Database) async throws -> [(kind: String, count: Int, meanMilliseconds: Double)] {
        var counts: [String: (count: Int, milliseconds: Double)] = [:]
        for row in try await database.rows(database.statement("SELECT job_request, job_result FROM lcm_job_events WHERE job_request IS NOT NULL")) {
            var reader = row.reader()
            let request = try WireJSON.decode(JSONValue.self, from: Data(try reader.text().utf8))
            let result = try reader.optionalText().map { try WireJSON.decode(JSONValue.self, from: Data($0.utf8)) }
            guard case .object(let job) = request, case .array(let calls)? = job["requests"] else { continue }
            var responses: [JSONValue] = []
            if case .object(let job)? = result, case .object(let answers)? = job["result"], case .array(let list)? = answers["responses"] { responses = list }
            for (index, call) in calls.enumerated() {
                guard case .object(let call) = call, case .string(let method)? = call["method"], case .string(let url)? = call["url"],
                      let parts = URLComponents(string: url) else { continue }
                let path = parts.path.replacingOccurrences(of: #"/[0-9a-fA-F-]{16,}$"#, with: "/{id}", options: .regularExpression)
                    .replacingOccurrences(of: #"^.*/v2"#, with: "", options: .regularExpression)
                let filter = parts.queryItems?.first { $0.name == "filter" }?.value.map { " filter " + ($0.split(separator: " ").prefix(2).joined(separator: " ")) } ?? ""
                var milliseconds = 0.0
                if index < responses.count, case .object(let response) = responses[index], case .number(let value)? = response["duration_ms"] { milliseconds = value }
                counts["\(method) \(path)\(filter)", default: (0, 0)].count += 1
                counts["\(method) \(path)\(filter)", default: (0, 0)].milliseconds += milliseconds
            }
        }
        return counts.map { ($0.key, $0.value.count, $0.value.milliseconds / Double(max($0.value.count, 1))) }
            .sorted { $0.count > $1.count || ($0.count == $1.count && $0.kind < $1.kind) }
    }

    static func count(_ database: Database, _ sql: String) async throws -> Int {
        var reader = try await database.first(database.statement(sql))?.reader()
        return Int(try reader?.integer() ?? 0)
    }

    /// The same provisioning from a plain loop: `concurrency` workers, each taking the next joiner
    /// and sending its three requests in turn (the userName lookup, POST /Users with the body
    /// Warden sends, PATCH of the group adding the new id), with an AsyncHTTPClient configured as
    /// the runner's. Answers the seconds; checks the server holds every user in its group.
    static func ceiling(_ scim: SCIMTargetServer, joiners: Int, concurrency: Int) async throws -> Double {
        var created: [String] = []
        for site in sites { created.append(try await scim.createGroup(site)) }
        let groupIDs = created
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: HTTPPerformer.connectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let next = NIOLockedValueBox(0)
        let timings = RequestTimings()
        let start = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<concurrency {
                    tasks.addTask {
                        while true {
                            let index = next.withLockedValue { value -> Int in
                                defer { value += 1 }
                                return value
                            }
                            guard index < joiners else { return }
                            try await provisionOne(index, client: client, scim: scim, groupID: groupIDs[index % groupIDs.count], timings: timings)
                        }
                    }
                }
                try await tasks.waitForAll()
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        let seconds = (ContinuousClock.now - start).inSeconds
        try await client.shutdown()
        let users = try await scim.userCount()
        let members = try await scim.memberCount(of: sites)
        guard users == joiners, members == joiners else { throw BenchError("the ceiling's loop left \(users) users, \(members) members") }
        for (kind, milliseconds) in timings.means {
            print(label("  ceiling " + kind, 40) + String(format: " %8d  %6.2f per joiner  %8.1f ms mean", joiners, 1.0, milliseconds))
        }
        return seconds
    }

    /// One joiner: find the user by userName, create it when missing, add it to its group. scim2-server
    /// now and then stalls or drops a request among 64 at once; as the runner retries such a failure,
    /// the loop starts the joiner over (up to 5 times), and the lookup keeps a retry from creating a
    /// second user.
    private static func provisionOne(_ index: Int, client: HTTPClient, scim: SCIMTargetServer, groupID: String, timings: RequestTimings) async throws {
        let departments = ["Engineering", "Sales", "Finance", "Support", "Marketing", "Legal", "Research", "Operations"]
        let email = "person\(index)@example.com"
        let filter = #"userName eq "\#(email)""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let user: JSONValue = .object([
            "schemas": .array([.string(userSchema), .string(enterprise)]), "externalId": .string(UUID().uuidString.lowercased()),
            "userName": .string(email), "displayName": .string("Person \(index)"),
            "emails": .array([.object(["type": "work", "value": .string(email)])]),
            enterprise: .object(["department": .string(departments[index % departments.count])]),
        ])
        var attempt = 1
        while true {
            do {
                let (_, found) = try await timings.time("GET /Users filter userName eq") { try await send(client, .GET, scim.url + "/Users?filter=\(filter)", nil) }
                var id = Self.id(ofFirstIn: found)
                if id == nil {
                    let (status, created) = try await timings.time("POST /Users") { try await send(client, .POST, scim.url + "/Users", user) }
                    guard status == 201, case .object(let resource) = created, case .string(let created)? = resource["id"] else {
                        throw BenchError("POST /Users answered \(status)")
                    }
                    id = created
                }
                guard let id else { throw BenchError("no id for \(email)") }
                let patch: JSONValue = .object([
                    "schemas": .array(["urn:ietf:params:scim:api:messages:2.0:PatchOp"]),
                    "Operations": .array([.object(["op": "add", "path": "members", "value": .array([.object(["value": .string(id)])])])]),
                ])
                let (patched, _) = try await timings.time("PATCH /Groups/{id}") { try await send(client, .PATCH, scim.url + "/Groups/\(groupID)", patch) }
                guard (200..<300).contains(patched) else { throw BenchError("PATCH /Groups answered \(patched)") }
                return
            } catch where attempt < 5 && (error is HTTPClientError || error is IOError) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The `id` of a ListResponse's first resource.
    private static func id(ofFirstIn list: JSONValue) -> String? {
        guard case .object(let members) = list, case .array(let resources)? = members["Resources"], case .object(let first)? = resources.first,
              case .string(let id)? = first["id"] else { return nil }
        return id
    }

    private static func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, _ body: JSONValue?) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(SCIMTargetServer.token)")
        request.headers.add(name: "Accept", value: "application/scim+json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/scim+json")
            request.body = .bytes(ByteBuffer(data: try WireJSON.encoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(Int64(Connector.defaultTimeoutSeconds)))
        let data = try await response.body.collect(upTo: 1 << 30)
        let json = data.readableBytes == 0 ? JSONValue.null : try WireJSON.decoder().decode(JSONValue.self, from: Data(data.readableBytesView))
        return (Int(response.status.code), json)
    }

    /// `name` padded to `width` characters: a row's first column.
    static func label(_ name: String, _ width: Int) -> String {
        name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0)
    }

    /// The 1, 5 and 15 minute load averages, as /proc/loadavg says.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// The ceiling's requests' durations, by kind.
final class RequestTimings: Sendable {
    private let totals = NIOLockedValueBox([String: (count: Int, seconds: Double)]())

    /// Runs `body`, adding its duration to `kind`'s.
    func time<T>(_ kind: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        let result = try await body()
        let seconds = (ContinuousClock.now - start).inSeconds
        totals.withLockedValue { $0[kind, default: (0, 0)].count += 1; $0[kind, default: (0, 0)].seconds += seconds }
        return result
    }

    /// Each kind's mean duration in milliseconds, by name.
    var means: [(kind: String, milliseconds: Double)] {
        totals.withLockedValue { $0.map { ($0.key, $0.value.seconds * 1e3 / Double(max($0.value.count, 1))) }.sorted { $0.kind < $1.kind } }
    }
}
