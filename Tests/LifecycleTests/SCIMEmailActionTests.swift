import Foundation
import NIOConcurrencyHelpers
@testable import Lifecycle
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

/// CREATE_EMAIL, WRITE_BACK_EMAIL and RESET_PASSWORD against a real `scim2-server`: addresses are
/// transliterated and numbered on collisions, a rerun keeps the address, the address reaches the
/// identity, and a generated password reaches the target and a notification but no table.
@Suite struct SCIMEmailActionTests {
    static let prefix = "/api/private/lifecycle_management"
    static let mapping = #"{"userName": "{employee_id}", "displayName": "{display_name}"}"#

    static let first = """
        employee_id,display_name,first_name,last_name,department
        E1,Martin Ødegaard,Martin,Ødegaard,Football

        """
    static let both = """
        employee_id,display_name,first_name,last_name,department
        E1,Martin Ødegaard,Martin,Ødegaard,Football
        E2,Martin Odegaard,Martin,Odegaard,Chess

        """

    static let emailActions = """
        [{"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "app"}},
         {"name": "mail", "type": "CREATE_EMAIL", "config": {"connector": "app", "template": "{first_name}.{last_name}@example.com"}},
         {"name": "write_back", "type": "WRITE_BACK_EMAIL", "config": {"create_email_action": "mail"}}]
        """

    static func workEmails(_ scim: TestSCIMServer, _ userName: String) async throws -> [String] {
        let user = try await SCIMConnectorTests.user(scim, userName)
        return (user?["emails"]?.arrayElements ?? []).compactMap { $0.memberString("value") }
    }

    @Test(arguments: TestDatabase.kinds)
    func joinersGetTransliteratedNumberedAddressesWrittenBack(kind: DatabaseKind) async throws {
        try await TestSCIMServer.run { scim in
            try await TestServer.run(kind) { server in
                let workflows = """
                    [\(SCIMConnectorTests.workflow("Joiner", "JOINED", ["sync", "mail", "write_back"])),
                     \(SCIMConnectorTests.workflow("Mover", "CHANGED", ["mail", "write_back"]))]
                    """
                let source = try await SCIMConnectorTests.setUp(server, url: scim.url, mapping: Self.mapping, workflows: workflows, actions: Self.emailActions)
                _ = try await IdentityImportTests.imported(server, source: source, Self.first)
                #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 1).count == 1)
                #expect(try await Self.workEmails(scim, "E1") == ["martin.odegaard@example.com"])

                // E2 joins with the same name; E1's import lacks the written-back email, so E1 is a mover that runs CREATE_EMAIL again.
                _ = try await IdentityImportTests.imported(server, source: source, Self.both)
                let completed = try await RunnerTests.tasks(server, state: "COMPLETED", count: 3)
                #expect(completed.count == 3)
                #expect(try await RunnerTests.tasks(server, state: "ERRORED", count: 0).isEmpty)
                #expect(try await Self.workEmails(scim, "E2") == ["martin.odegaard.2@example.com"])
                #expect(try await Self.workEmails(scim, "E1") == ["martin.odegaard@example.com"], "the rerun kept the address")
                #expect(try await scim.resources("/Users").count == 2)

                let identities = try await IdentityImportTests.identities(server)
                let emails = Dictionary(uniqueKeysWithValues: identities.compactMap { identity -> (String, String)? in
                    guard let id = identity["entity_id"] as? String, let email = (identity["attributes"] as? [String: Any])?["email"] as? String else { return nil }
                    return (id, email)
                })
                #expect(emails == ["E1": "martin.odegaard@example.com", "E2": "martin.odegaard.2@example.com"])

                let rerun = try #require(completed.first { $0["identity_name"] as? String == "Martin Ødegaard" && $0["workflow"] as? String == "Mover" })
                let actions = try await RunnerTests.list(server, "action_events", #"policy_task eq "\#(rerun["id"] as? String ?? "")""#)
                let mail = try #require(actions.first { $0["action_name"] as? String == "mail" })
                #expect(mail["any_changes"] as? Bool == false)
                #expect((mail["message"] as? String)?.contains("already has the address martin.odegaard@example.com") == true)
                let events = try await RunnerTests.list(server, "events", #"event_type eq "WRITE_BACK_EMAIL" or event_type eq "CREATE_EMAIL""#)
                #expect(events.count == 6, "CREATE_EMAIL and WRITE_BACK_EMAIL of three tasks, the rerun's without a change")
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aResetPasswordReachesTheTargetAndTheNotificationButNoTable(kind: DatabaseKind) async throws {
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("scim-dump-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: dump) }
        let receiver = TestReceiver()
        let password = try await receiver.run { hooks in
            try await TestSCIMServer.run(dumpingTo: dump) { scim in
                let sentPassword = NIOLockedValueBox("")
                try await TestServer.run(kind) { server in
                    let hook = try await server.request(.post, "\(Self.prefix)/connectors", json: #"{"name": "hook", "type": "WEBHOOK", "url": "\#(hooks)/hooks/welcome"}"#)
                    #expect(hook.status == .ok, "\(hook.text)")
                    let actions = """
                        [{"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "app"}},
                         {"name": "reset", "type": "RESET_PASSWORD", "config": {"connector": "app"}},
                         {"name": "notify", "type": "SEND_NOTIFICATION", "config": {"connector": "hook", "body": {"user": "{employee_id}", "password": "{actions.reset.password}"}}}]
                        """
                    let workflows = "[\(SCIMConnectorTests.workflow("Joiner", "JOINED", ["sync", "reset", "notify"]))]"
                    let source = try await SCIMConnectorTests.setUp(server, url: scim.url, mapping: Self.mapping, workflows: workflows, actions: actions)
                    _ = try await IdentityImportTests.imported(server, source: source, Self.first)
                    #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 1).count == 1)

                    let sent = try #require(receiver.received.first { $0.path == "/hooks/welcome" })
                    let password = try #require(sent.body.memberString("password"))
                    #expect(sent.body.memberString("user") == "E1")
                    #expect(password.count == PasswordGenerator.defaultLength)
                    for characters in [PasswordGenerator.lowercase, PasswordGenerator.uppercase, PasswordGenerator.digits, PasswordGenerator.symbols] {
                        #expect(password.contains { characters.contains($0) }, "\(password) lacks one of \(String(characters))")
                    }

                    #expect(try await Self.tablesHolding("E1", server.database, kind) .contains("lcm_identities"), "the search finds what is stored")
                    #expect(try await Self.tablesHolding(password, server.database, kind).isEmpty)
                    let jobs = try await server.request(.get, "\(Self.prefix)/job_events?details=true")
                    #expect(!jobs.text.contains(password))
                    let values = try WireJSON.decoder().decode(JSONValue.self, from: Data(jobs.text.utf8)).memberValue("values")?.arrayElements ?? []
                    let reset = try #require(values.first { $0.memberString("action_name") == "reset" })
                    let requests = reset.memberValue("job_request")?.memberValue("requests")?.arrayElements ?? []
                    let patch = try #require(requests.first { $0.memberString("method") == "PATCH" })
                    let operations = patch.memberValue("body")?.memberValue("Operations")?.arrayElements ?? []
                    #expect(operations.map { $0.memberString("path") } == ["password"])
                    #expect(operations.map { $0.memberString("value") } == [HTTPPerformer.redacted], "the PATCH is recorded redacted")
                    sentPassword.withLockedValue { $0 = password }
                }
                return sentPassword.withLockedValue { $0 }
            }
        }
        let stored = try WireJSON.decoder().decode(JSONValue.self, from: Data(contentsOf: dump))
        let user = stored.arrayElements?.first { $0.memberString("userName") == "E1" }
        #expect(user?.memberString("password") == password, "scim2-server holds the password that was sent")
    }

    @Test(arguments: TestDatabase.kinds)
    func aNotificationWhosePasswordIsGoneErrorsAndRetryingTheResetSendsANewOne(kind: DatabaseKind) async throws {
        let receiver = TestReceiver()
        try await receiver.run { hooks in
            try await TestSCIMServer.run { scim in
                try await TestServer.run(kind) { server in
                    let hook = try await server.request(.post, "\(Self.prefix)/connectors", json: #"{"name": "hook", "type": "WEBHOOK", "url": "\#(hooks)/hooks/welcome"}"#)
                    #expect(hook.status == .ok, "\(hook.text)")
                    let actions = """
                        [{"name": "sync", "type": "SYNC_IDENTITIES", "config": {"connector": "app"}},
                         {"name": "reset", "type": "RESET_PASSWORD", "config": {"connector": "app", "length": 16}},
                         {"name": "notify", "type": "SEND_NOTIFICATION", "config": {"connector": "hook", "body": {"password": "{actions.reset.password}"}}}]
                        """
                    let workflows = "[\(SCIMConnectorTests.workflow("Joiner", "JOINED", ["sync", "reset", "notify"]))]"
                    let source = try await SCIMConnectorTests.setUp(server, url: scim.url, mapping: Self.mapping, workflows: workflows, actions: actions)
                    receiver.fail(next: 1, status: 400)
                    _ = try await IdentityImportTests.imported(server, source: source, Self.first)
                    let task = try #require(try await RunnerTests.tasks(server, state: "ERRORED", count: 1).first?["id"] as? String)
                    let refused = try #require(receiver.received.first?.body.memberString("password"))
                    #expect(refused.count == 16)

                    // The task ended, so its password is gone: the notification alone cannot be sent again.
                    #expect(try await server.request(.post, "\(Self.prefix)/action_events/\(task)/notify:retry").status == .ok)
                    var notify: [String: Any] = [:]
                    for _ in 0..<600 {
                        notify = try await RunnerTests.list(server, "action_events", #"policy_task eq "\#(task)""#).first { $0["action_name"] as? String == "notify" } ?? [:]
                        if notify["state"] as? String == "ERRORED", (notify["message"] as? String)?.contains("is gone") == true { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(notify["state"] as? String == "ERRORED")
                    #expect((notify["message"] as? String)?.contains("action_events/\(task)/reset:retry") == true, "\(notify)")
                    #expect(receiver.received.count == 1)

                    #expect(try await server.request(.post, "\(Self.prefix)/action_events/\(task)/reset:retry").status == .ok)
                    #expect(try await RunnerTests.tasks(server, state: "COMPLETED", count: 1).count == 1)
                    let sent = try #require(receiver.received.last?.body.memberString("password"))
                    #expect(receiver.received.count == 2 && sent != refused && sent.count == 16)
                    #expect(try await Self.tablesHolding(refused, server.database, kind).isEmpty)
                    #expect(try await Self.tablesHolding(sent, server.database, kind).isEmpty)
                }
            }
        }
    }

    /// The tables with a text column containing `text`.
    static func tablesHolding(_ text: String, _ database: Database, _ kind: DatabaseKind) async throws -> [String] {
        let columns = try await database.rows(database.statement(kind == .postgres
            ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"))
        var found: Set<String> = []
        for row in columns {
            var reader = row.reader()
            let (table, column) = (try reader.text(), try reader.text())
            var query = database.statement("SELECT COUNT(*) FROM \"\(table)\" WHERE strpos(CAST(\"\(column)\" AS TEXT), ")
            if kind != .postgres { query = database.statement("SELECT COUNT(*) FROM \"\(table)\" WHERE instr(CAST(\"\(column)\" AS TEXT), ") }
            query.append(bind: text)
            query.append(") > 0")
            guard let count = try await database.first(query) else { continue }
            var counted = count.reader()
            if try counted.integer() > 0 { found.insert(table) }
        }
        return found.sorted()
    }

    @Test func passwordAndAddressReferencesAreCheckedAllAtOnce() throws {
        let document = try PolicyPlanTests.json(#"""
            {"workflows": [{"name": "Joiner", "conditions_on_success": [{"actions_to_run": [{"name": "early"}, {"name": "reset"}, {"name": "notify"}, {"name": "wrong"}, {"name": "rest"}, {"name": "back"}]}]}],
             "actions": [
               {"name": "early", "type": "SEND_NOTIFICATION", "config": {"connector": "mail", "to": ["{email}"], "subject": "Welcome", "body": "Your password: {actions.reset.password}"}},
               {"name": "reset", "type": "RESET_PASSWORD", "config": {"connector": "app", "length": 5}},
               {"name": "notify", "type": "SEND_NOTIFICATION", "config": {"connector": "mail", "to": ["{email}"], "subject": "Welcome", "body": "Your password: {actions.reset.password}"}},
               {"name": "wrong", "type": "SEND_NOTIFICATION", "config": {"connector": "hook", "body": {"p": "{actions.notify.password}"}}},
               {"name": "rest", "type": "SEND_REST_PAYLOAD", "config": {"connector": "crm", "method": "POST", "path": "/x", "body": {"p": "{actions.reset.password}"}}},
               {"name": "back", "type": "WRITE_BACK_EMAIL", "config": {"create_email_action": "reset"}},
               {"name": "neither", "type": "WRITE_BACK_EMAIL", "config": {}},
               {"name": "addr", "type": "CREATE_EMAIL", "config": {"connector": "app"}}
             ]}
            """#)
        var violations: [APIError.FieldViolation] = []
        do {
            _ = try PolicyConfig(validating: document)
        } catch {
            #expect(error.code == .invalidArgument)
            violations = error.fieldViolations
        }
        let fields = Set(violations.map(\.field))
        #expect(fields == [
            "config.actions[0].config.body", "config.actions[1].config.length", "config.actions[3].config.body", "config.actions[4].config.body",
            "config.actions[5].config.create_email_action", "config.actions[6].config", "config.actions[7].config.template",
        ], "\(violations.map(\.description))")
        #expect(violations.contains { $0.field == "config.actions[0].config.body" && $0.description.contains("does not run reset before early") })
        #expect(violations.contains { $0.field == "config.actions[3].config.body" && $0.description.contains("only RESET_PASSWORD answers a password") })
        #expect(violations.contains { $0.field == "config.actions[4].config.body" && $0.description.contains("only go into a SEND_NOTIFICATION") })
    }
}
