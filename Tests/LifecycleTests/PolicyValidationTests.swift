import Lifecycle
import SCIMFilter
import Testing
import WardenCore

@Suite struct PolicyValidationTests {
    /// One of every problem a config can have on its own, and two the environment shows.
    static let broken = #"""
        {
          "workflows": [
            {"name": "Joiner", "trigger_string": "department eq", "conditions_on_success": [
              {"condition_string": "title co \"Manager\"", "actions_to_run": [{"name": "Create account"}, {"name": "Ghost"}]}]},
            {"name": "Joiner", "conditions_on_success": []}
          ],
          "actions": [
            {"name": "Create account", "type": "SEND_REST_PAYLOAD",
             "config": {"connector": "crm", "method": "FETCH", "path": "/users/{employee_id", "verbose": true}},
            {"name": "Create account", "type": "PAUSE", "config": {"duration": "soon"}},
            {"name": "Plan", "type": "ACCESS_PLAN", "config": {}},
            {"name": "Mail", "type": "SEND_NOTIFICATION", "condition": "email pr and", "config": {"connector": "hooks", "to": ["{email}"], "body": "Hi {nickname}"}},
            {"name": "Post", "type": "CUSTOM_ACTION", "config": {"connector": "mailer", "method": "put", "body": {"id": "{actions.Nope.id}"}}}
          ]
        }
        """#

    private func violations(_ text: String) throws -> [APIError.FieldViolation] {
        let document = try PolicyPlanTests.json(text)
        do {
            _ = try PolicyConfig(validating: document)
            return []
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("the request has \(error.fieldViolations.count) problem(s)"))
            return error.fieldViolations
        }
    }

    @Test func everyProblemOfAConfigIsNamedAtOnce() throws {
        let found = try violations(Self.broken)
        let byField = Dictionary(found.map { ($0.field, $0.description) }, uniquingKeysWith: { $0 + " | " + $1 })
        let expected: [String: String] = [
            "config.workflows[0].trigger_string": "is not a valid filter",
            "config.workflows[0].conditions_on_success[0].actions_to_run[1].name": "names the action \"Ghost\", which this version does not define",
            "config.workflows[1].name": "another workflow is already named \"Joiner\"",
            "config.actions[0].config.method": "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, not FETCH",
            "config.actions[0].config.path": "is not a valid template: at character 20: the reference is not closed",
            "config.actions[0].config.verbose": "verbose is not a field of a REST action's settings",
            "config.actions[1].name": "another action is already named \"Create account\"",
            "config.actions[1].config.duration": "is not a duration",
            "config.actions[2].type": "Warden cannot perform ACCESS_PLAN actions yet",
            "config.actions[3].condition": "is not a valid filter",
            "config.actions[3].config.subject": "is required",
            "config.actions[4].config.body": "names the action \"Nope\"",
        ]
        for (field, words) in expected {
            #expect(byField[field]?.contains(words) == true, "\(field): \(byField[field] ?? "missing"); all: \(byField)")
        }
        #expect(found.count == expected.count, "\(byField)")
    }

    @Test func settingsAreCheckedPerActionType() throws {
        let found = try violations(#"""
            {"actions": [
              {"name": "a", "type": "SEND_REST_PAYLOAD", "config": {"method": "POST", "success_statuses": [200, 700]}},
              {"name": "b", "type": "PAUSE", "config": {"duration": "1h", "until": "{start}"}},
              {"name": "c", "type": "SEND_NOTIFICATION", "config": {"connector": "hooks", "subject": "x"}},
              {"name": "d"},
              {"name": "e", "type": "SEND_NOTIFICATION", "config": {"connector": "smtp", "to": [], "subject": "s", "body": "b"}}
            ], "extra": 1}
            """#)
        let fields = Set(found.map(\.field))
        #expect(fields == [
            "config.extra", "config.actions[0].config.connector", "config.actions[0].config.body", "config.actions[0].config.success_statuses[1]",
            "config.actions[1].config", "config.actions[2].config.subject", "config.actions[2].config.body", "config.actions[3].type",
            "config.actions[4].config.to",
        ], "\(found)")
    }

    @Test func aValidConfigPasses() throws {
        #expect(try violations(PolicyPlanTests.document).isEmpty)
        #expect(try violations("{}").isEmpty)
    }

    @Test func theEnvironmentChecksConnectorsAndAttributes() async throws {
        let config = try PolicyConfig(validating: try PolicyPlanTests.json(PolicyPlanTests.document))
        let environment = FixedPolicyEnvironment(
            sourceIDs: ["hr"],
            identities: [PolicyPlanTests.identity(["employee_id": "1", "email": "a@b", "first_name": "A", "employee_number": 1, "is_active": true])],
            connectors: ["crm": .rest, "mail": .webhook])
        let found = try await config.environmentViolations(environment, sourceIDs: ["hr"])
        let descriptions = found.map { "\($0.field): \($0.description)" }
        #expect(descriptions.contains { $0.hasPrefix("config.actions[1].config.connector") && $0.contains("\"mail\" is a WEBHOOK connector; this action needs a SMTP connector") })
        #expect(descriptions.contains { $0.hasPrefix("config.actions[3].config.connector") && $0.contains("no connector named \"hooks\"") })
        #expect(descriptions.contains { $0.hasPrefix("config.actions[1].config.to[1]") && $0.contains("\"manager_email\", which no identity") })
        #expect(found.count == 3, "\(descriptions)")

        let noIdentities = FixedPolicyEnvironment(sourceIDs: ["hr"], connectors: ["crm": .rest, "mail": .smtp, "hooks": .webhook])
        #expect(try await config.environmentViolations(noIdentities, sourceIDs: ["hr"]).isEmpty)
    }
}
