import ActivityLog
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Lifecycle
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import SCIMFilter
import ServiceLifecycle
import WardenCore
import WardenServer

/// An extraction of N joiners through a three-action workflow (create an account, add it to a
/// group with the id the first call answered, notify) against a local receiver that answers at
/// once; beside it, the ceiling: the same requests sent by a plain AsyncHTTPClient loop at the
/// same concurrency, each "task" sending its three requests one after another.
struct LifecycleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lifecycle", abstract: "The runner's throughput against a plain HTTP client loop.")

    @Option(help: "Joiners in the extraction.")
    var joiners: Int = 100_000

    @Option(help: "Tasks run at once, by the runner and by the ceiling's loop.")
    var concurrency: Int = RunnerSettings().concurrency

    @Option(help: "Benchmark PostgreSQL at this URL instead of SQLite (its lifecycle and activity tables are emptied).")
    var postgresURL: String?

    static let actionsPerTask = 3

    func run() async throws {
        try await withLifecycleDatabase(postgresURL: postgresURL) { database, folder, logger in
            let receiver = BenchReceiver()
            try await receiver.run(logger: logger) { [logger] url in
                let engine = LifecycleEngine(
                    database: database, connectors: ConnectorStore(database: database, keys: SecretKeyRing.generate(id: "bench").ring),
                    settings: RunnerSettings(concurrency: concurrency), logger: logger)
                let source = try await setUp(engine, receiver: url)
                let file = folder.appendingPathComponent("joiners.csv").path
                try IdentityImportBenchmark.writeExport(to: file, count: joiners, variant: 0)
                print("database: \(database.kind.rawValue), \(joiners) joiners, \(Self.actionsPerTask) REST actions each, concurrency \(concurrency)")

                let importStart = ContinuousClock.now
                let event = try await engine.importIdentities(into: source, mode: .full, contentType: "text/csv", body: try FileChunks(path: file), by: "bench")
                let importSeconds = (ContinuousClock.now - importStart).inSeconds
                print(String(format: "import and plan                 %8.2f s  (%lld tasks created)", importSeconds, event.tasksCreated))

                let requestsBefore = receiver.count
                let runStart = ContinuousClock.now
                let group = ServiceGroup(services: [engine.runner()], gracefulShutdownSignals: [], logger: logger)
                let seconds = try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    while try await Self.finished(database) < event.tasksCreated {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    let seconds = (ContinuousClock.now - runStart).inSeconds
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                    return seconds
                }
                let errored = try await Self.errored(database)
                let actions = Double(receiver.count - requestsBefore)
                print(String(format: "runner                          %8.2f s  %8.0f tasks/s  %8.0f actions/s  (%lld errored)",
                             seconds, Double(event.tasksCreated) / seconds, actions / seconds, errored))

                let ceiling = try await Self.ceiling(url: url, tasks: joiners, concurrency: concurrency)
                print(String(format: "ceiling: AsyncHTTPClient loop   %8.2f s  %8.0f tasks/s  %8.0f requests/s",
                             ceiling, Double(joiners) / ceiling, Double(joiners * Self.actionsPerTask) / ceiling))
                print(String(format: "runner / ceiling (actions/s)    %8.2f×", (actions / seconds) / (Double(joiners * Self.actionsPerTask) / ceiling)))
            }
        }
    }

    /// A source, a REST connector to the receiver and a RUNNING policy with the three actions.
    private func setUp(_ engine: LifecycleEngine, receiver: String) async throws -> IdentitySource {
        let database = engine.database
        let sourceID = try await IdentitySourceStore(database: database).create(
            .init(name: "bench-\(UUID().uuidString.prefix(8))", idAttribute: "employee_id", nameAttribute: "display_name"), by: "bench")
        let connectorName = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let connector = try WireJSON.decode(Connector.Input.self, from: Data(#"{"name": "\#(connectorName)", "type": "REST", "base_url": "\#(receiver)"}"#.utf8))
        _ = try await engine.connectors.create(connector, by: "bench")
        let policies = PolicyStore(database: database, environment: FixedPolicyEnvironment(sourceIDs: [sourceID], connectors: [connectorName: .rest]))
        let policy = """
            {"name": "bench \(UUID().uuidString.prefix(8))", "datasource_ids": ["\(sourceID)"],
             "config": {
               "workflows": [{"name": "Joiner", "trigger": {"changes": ["JOINED"]},
                 "conditions_on_success": [{"name": "all", "condition_type": "ANY", "actions_to_run": [{"name": "create"}, {"name": "group"}, {"name": "notify"}]}]}],
               "actions": [
                 {"name": "create", "type": "SEND_REST_PAYLOAD", "config": {"connector": "\(connectorName)", "method": "POST", "path": "/users",
                  "body": {"id": "{employee_id}", "name": "{display_name}", "email": "{email | LOWER}", "department": "{department}"}}},
                 {"name": "group", "type": "SEND_REST_PAYLOAD", "config": {"connector": "\(connectorName)", "method": "PUT",
                  "path": "/users/{actions.create.id}/groups", "body": {"group": "{department}"}}},
                 {"name": "notify", "type": "CUSTOM_ACTION", "config": {"connector": "\(connectorName)", "method": "POST", "path": "/notify",
                  "body": {"text": "{display_name} joined {department}"}}}
               ]}}
            """
        let id = try await policies.create(try WireJSON.decode(JSONValue.self, from: Data(policy.utf8)), by: "bench")
        _ = try await policies.publish(policyID: id, number: 1, by: "bench")
        _ = try await policies.setState(id: id, to: .running, by: "bench")
        return try await IdentitySourceStore(database: database).get(sourceID)
    }

    static func empty(_ database: Database) async throws {
        let tables = [
            "lcm_task_runs", "lcm_workflow_tasks", "lcm_action_events", "lcm_job_events", "lcm_events", "lcm_identity_changes", "lcm_identities",
            "lcm_identity_staging", "lcm_extraction_events", "lcm_scim_resources",
        ]
        try await database.transaction { sql in
            for table in tables { try await sql.execute(database.statement("DELETE FROM \(table)")) }
        }
    }

    static func finished(_ database: Database) async throws -> Int64 {
        var reader = try await database.first(database.statement("SELECT COUNT(*) FROM lcm_workflow_tasks WHERE state IN ('COMPLETED', 'ERRORED')"))?.reader()
        return try reader?.integer() ?? 0
    }

    static func errored(_ database: Database) async throws -> Int64 {
        var reader = try await database.first(database.statement("SELECT COUNT(*) FROM lcm_workflow_tasks WHERE state = 'ERRORED'"))?.reader()
        return try reader?.integer() ?? 0
    }

    /// The same requests from a plain loop: `concurrency` workers, each sending a task's three
    /// requests in turn, with an AsyncHTTPClient configured as the runner's.
    static func ceiling(url: String, tasks: Int, concurrency: Int) async throws -> Double {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let next = NIOLockedValueBox(0)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = next.withLockedValue { value -> Int in
                            defer { value += 1 }
                            return value
                        }
                        guard index < tasks else { return }
                        let create = #"{"id": "E\#(index)", "name": "Person \#(index)", "email": "person\#(index)@example.com", "department": "Engineering"}"#
                        for (method, path, body) in [
                            (NIOHTTP1.HTTPMethod.POST, "/users", create), (.PUT, "/users/u-\(index)/groups", #"{"group": "Engineering"}"#),
                            (.POST, "/notify", #"{"text": "Person \#(index) joined Engineering"}"#),
                        ] {
                            var request = HTTPClientRequest(url: url + path)
                            request.method = method
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.headers.add(name: "Idempotency-Key", value: "ceiling-\(index):\(path)")
                            request.body = .bytes(ByteBuffer(string: body))
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).inSeconds
        try await client.shutdown()
        return seconds
    }
}

/// A receiver that answers every request at once with 201 and a new id, and counts them.
final class BenchReceiver: Sendable {
    private let requests = NIOLockedValueBox(0)

    var count: Int { requests.withLockedValue { $0 } }

    func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        let answer: @Sendable (Request, BasicRequestContext) async throws -> Response = { [requests] request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            let number = requests.withLockedValue { value -> Int in
                value += 1
                return value
            }
            return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"id": "u-\#(number)"}"#)))
        }
        router.on("**", method: .post, use: answer)
        router.on("**", method: .put, use: answer)
        return try await LoopbackServer.serve(router, logger: logger, body)
    }
}
