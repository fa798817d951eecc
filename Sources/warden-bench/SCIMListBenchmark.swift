import ArgumentParser
import AsyncHTTPClient
import Foundation
import Lifecycle
import Logging
import NIOCore
import SCIMFilter
import WardenCore
import WardenServer

/// `GET /scim/v2/Users?filter=…&count=100` with a provisioner key on a source of N pushed Users,
/// through a real in-process server over one keep-alive loopback connection, beside its ceiling:
/// the hand-written SQL answering the same question (the page and the number of matches) through
/// the same driver, in the same run.
struct SCIMListBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scim-list", abstract: "/scim/v2/Users filters against their raw SQL.")

    @Option(help: "Users pushed into the source.")
    var users: Int = 100_000

    @Option(help: "Timed requests per filter, alternating with the ceiling (fewer when one takes over a second).")
    var repetitions: Int = 20

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its lifecycle tables are emptied).")
    var postgresURL: String?

    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let departments = ["Engineering", "Sales", "Finance", "Support", "Marketing", "Legal", "Research", "Operations"]

    /// A filter, and the SQL condition on `lcm_scim_resources` that answers it, per database.
    struct Case {
        var name: String
        var filter: String
        var sqlite: String
        var postgres: String
    }

    func cases() -> [Case] {
        let probe = users / 2 + 4321 % max(users / 2, 1)
        let email = "person\(probe)@example.com"
        let prefix = "person\(probe / 10)"
        let fragment = "son \(probe / 10)"
        return [
            Case(name: "userName eq (unique index)", filter: #"userName eq "\#(email)""#,
                 sqlite: "unique_key = '\(email)'", postgres: "unique_key = '\(email)'"),
            Case(name: "userName sw", filter: #"userName sw "\#(prefix)""#,
                 sqlite: "json_extract(attributes, '$.userName') LIKE '\(prefix)%'",
                 postgres: "lower((attributes::jsonb)->>'userName') LIKE '\(prefix)%'"),
            Case(name: "displayName co", filter: #"displayName co "\#(fragment)""#,
                 sqlite: "json_extract(attributes, '$.displayName') LIKE '%\(fragment)%'",
                 postgres: "lower((attributes::jsonb)->>'displayName') LIKE '%\(fragment)%'"),
            Case(name: "enterprise department eq (1/8 match)", filter: #"\#(Self.enterprise):department eq "Sales""#,
                 sqlite: "lower(json_extract(attributes, '$.\"\(Self.enterprise)\".department')) = 'sales'",
                 postgres: "lower((attributes::jsonb)->'\(Self.enterprise)'->>'department') = 'sales'"),
            Case(name: "emails.value eq (multi-valued)", filter: #"emails.value eq "\#(email)""#,
                 sqlite: "EXISTS (SELECT 1 FROM json_each(attributes, '$.emails') WHERE lower(json_extract(value, '$.value')) = '\(email)')",
                 postgres: "EXISTS (SELECT 1 FROM jsonb_array_elements((attributes::jsonb)->'emails') e WHERE lower(e->>'value') = '\(email)')"),
        ]
    }

    func run() async throws {
        try await withLifecycleDatabase(postgresURL: postgresURL) { database, folder, logger in
            let engine = LifecycleEngine(
                database: database, connectors: ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "bench").ring), settings: RunnerSettings(concurrency: 0),
                logger: logger)
            let sources = IdentitySourceStore(database: database)
            let name = "okta-\(UUID().uuidString.prefix(8).lowercased())"
            let source = try await sources.get(try await sources.create(.init(name: name, idAttribute: "id", nameAttribute: "name"), by: "bench"))
            let loadStart = ContinuousClock.now
            try await load(engine, into: source)
            try await database.transaction { try await $0.execute(database.statement("ANALYZE")) }
            print(String(format: "database: %@, %d Users pushed into one source (loaded in %.1f s through the SCIM provider's bulk push), load %@",
                         database.kind.rawValue, users, (ContinuousClock.now - loadStart).inSeconds, SCIMProvisionBenchmark.loadAverage()))
            let key = try await APIKeyStore(database: database).create(name: "bench", role: .provisioner, identitySource: name, createdBy: "bench")

            try await withInProcessServer(database: database, folder: folder, logger: logger) { port in
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)))
                do {
                    try await compare(client, base: "http://127.0.0.1:\(port)/scim/v2", key: key.accessKey, database: database, sourceID: source.id)
                } catch {
                    try await client.shutdown()
                    throw error
                }
                try await client.shutdown()
            }
            print("load after: \(SCIMProvisionBenchmark.loadAverage())")
        }
    }

    /// Pushes the Users in batches of 10,000, each one extraction event.
    private func load(_ engine: LifecycleEngine, into source: IdentitySource) async throws {
        var index = 0
        while index < users {
            let end = min(index + 10_000, users)
            let bodies: [JSONValue] = (index..<end).map { index in
                let email = "person\(index)@example.com"
                let enterprise: JSONValue = .object([
                    "department": .string(Self.departments[index % Self.departments.count]), "employeeNumber": .string("E\(index)"),
                ])
                let emails: JSONValue = .array([.object(["type": .string("work"), "value": .string(email), "primary": .bool(true)])])
                return .object([
                    "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:User"), .string(Self.enterprise)]),
                    "userName": .string(email), "displayName": .string("Person \(index)"), "active": .bool(true),
                    "name": .object(["givenName": .string("Person"), "familyName": .string("\(index)")]),
                    "emails": emails, Self.enterprise: enterprise,
                ])
            }
            try await engine.pushSCIMUsers(bodies, into: source, by: "bench")
            index = end
        }
    }

    private func compare(_ client: HTTPClient, base: String, key: String, database: Database, sourceID: String) async throws {
        var request = HTTPClientRequest(url: base + "/ServiceProviderConfig")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let floor = try await time(repetitions: 200) { _ = try await Self.get(client, request) }
        print(SCIMProvisionBenchmark.label("floor: GET /ServiceProviderConfig", 40) + String(format: "%12.3f  (with the key: the HTTP and authentication floor)", floor * 1e3))
        print("filter (count=100)                         Warden ms   raw SQL ms  Warden/SQL   matches  (target ≤ 2×)")
        for test in cases() {
            var list = HTTPClientRequest(url: base + "/Users?count=100&filter=" + FormFields.encode(test.filter))
            list.headers = request.headers
            let sql = rawSQL(test, database: database, sourceID: sourceID)
            let (total, ids) = try await Self.list(client, list)
            let expected = try await database.rows(sql)
            var first = expected.first?.reader()
            let sqlTotal = Int(try first?.integer() ?? 0)
            let sqlIDs = try expected.map { row -> String in
                var reader = row.reader()
                _ = try reader.integer()
                return try reader.text()
            }
            guard total == sqlTotal, ids == sqlIDs else {
                throw BenchError("\(test.filter): Warden answered \(total) matches \(ids.prefix(3)), the SQL \(sqlTotal) \(sqlIDs.prefix(3))")
            }
            let (warden, ceiling) = try await alternating(
                { _ = try await Self.get(client, list) },
                {
                    for row in try await database.rows(sql) {
                        var reader = row.reader()
                        _ = try reader.integer()
                        _ = try reader.text()
                        _ = try reader.text()
                        _ = try reader.integer()
                        _ = try reader.timestamp()
                        _ = try reader.timestamp()
                    }
                })
            print(test.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                + String(format: "%12.3f %12.3f %10.2f×  %8d", warden * 1e3, ceiling * 1e3, warden / ceiling, total))
        }
    }

    /// The ceiling's statement: the number of matches and the first 100 by creation, every column
    /// Warden reads.
    private func rawSQL(_ test: Case, database: Database, sourceID: String) -> SQLText {
        var sql = database.statement("SELECT COUNT(*) OVER (), id, attributes, version, created_at, updated_at FROM lcm_scim_resources WHERE source_id = ")
        sql.append(bind: sourceID)
        sql.append(" AND resource_type = 'User' AND (\(database.kind == .sqlite ? test.sqlite : test.postgres)) ORDER BY seq LIMIT 100")
        return sql
    }

    /// The best times of `warden` and `ceiling`, run in turn after a warm-up each: `repetitions`
    /// rounds, or as many as fit in about 20 seconds (at least 3).
    private func alternating(_ warden: () async throws -> Void, _ ceiling: () async throws -> Void) async throws -> (Double, Double) {
        let start = ContinuousClock.now
        var best = (Double.infinity, Double.infinity)
        try await warden()
        try await ceiling()
        for round in 0..<repetitions {
            if round >= 3, (ContinuousClock.now - start).inSeconds > 20 { break }
            best.0 = min(best.0, try await time(repetitions: 1, warden))
            best.1 = min(best.1, try await time(repetitions: 1, ceiling))
        }
        return best
    }

    private func time(repetitions: Int, _ body: () async throws -> Void) async throws -> Double {
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = ContinuousClock.now
            try await body()
            best = min(best, (ContinuousClock.now - start).inSeconds)
        }
        return best
    }

    @discardableResult
    private static func get(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> ByteBuffer {
        let response = try await client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else { throw BenchError("\(request.url) answered \(response.status): \(String(buffer: body).prefix(300))") }
        return body
    }

    /// A list's totalResults and the ids of its page.
    private static func list(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> (Int, [String]) {
        let body = try await get(client, request)
        guard case .object(let list) = try WireJSON.decoder().decode(JSONValue.self, from: Data(body.readableBytesView)),
              case .number(let total)? = list["totalResults"], case .array(let resources)? = list["Resources"]
        else { throw BenchError("\(request.url) answered no ListResponse") }
        return (Int(total), resources.compactMap { if case .object(let user) = $0, case .string(let id)? = user["id"] { id } else { nil } })
    }
}
