import ActivityLog
import Foundation
import Lifecycle
import SCIMFilter
import Testing

@Suite struct PolicyPlanTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// A joiner/mover/leaver policy: nested conditions, a skipped action, a disabled workflow.
    static let document = #"""
        {
          "workflows": [
            {"name": "Joiner", "trigger": {"changes": ["JOINED"], "filter": "is_active eq true"},
             "conditions_on_success": [
               {"name": "everyone", "condition_type": "ANY", "actions_to_run": [{"name": "Create account"}, {"name": "Welcome"}],
                "conditions_on_success": [
                  {"name": "engineers", "condition_string": "department eq \"Engineering\"", "actions_to_run": [{"name": "Wait"}, {"name": "Create account"}]}
                ]},
               {"name": "managers", "condition_string": "is_manager eq true", "continue_actions_if_any_error": true,
                "actions_to_run": [{"name": "Notify HR"}]}
             ]},
            {"name": "Mover", "trigger": {"changes": ["CHANGED"], "attributes": ["department", "title"]},
             "conditions_on_success": [{"condition_type": "ANY", "actions_to_run": [{"name": "Notify HR"}]}]},
            {"name": "Leaver", "trigger_string": "is_active eq false",
             "conditions_on_success": [{"actions_to_run": [{"name": "Notify HR"}]}]},
            {"name": "Old", "state": "DISABLED", "conditions_on_success": [{"actions_to_run": [{"name": "Notify HR"}]}]}
          ],
          "actions": [
            {"name": "Create account", "type": "SEND_REST_PAYLOAD",
             "config": {"connector": "crm", "method": "post", "path": "/users/{employee_id}", "headers": {"X-Source": "warden {employee_id}"},
                        "body": {"userName": "{email | LOWER}", "number": "{employee_number}"}, "success_statuses": [200, 201]}},
            {"name": "Welcome", "type": "SEND_NOTIFICATION", "condition": "email pr", "continue_on_error": "true",
             "config": {"connector": "mail", "to": ["{email}", "{manager_email}"], "subject": "Welcome {first_name}", "body": "Hello {first_name | UPPER}"}},
            {"name": "Wait", "type": "PAUSE", "config": {"duration": "1h30m"}},
            {"name": "Notify HR", "type": "SEND_NOTIFICATION", "config": {"connector": "hooks", "body": {"who": "{employee_id}", "n": "{employee_number}"}}}
          ]
        }
        """#

    static func identity(_ attributes: [String: JSONValue]) -> IdentitySnapshot {
        IdentitySnapshot(id: "e1", name: "Ann Lee", sourceID: "hr", attributes: attributes)
    }

    static let engineer = identity([
        "employee_id": "e1", "email": "Ann@Corp.Example", "manager_email": "boss@corp.example", "first_name": "Ann",
        "department": "Engineering", "is_active": true, "is_manager": false, "employee_number": 7,
    ])

    private func summary(_ plans: [WorkflowPlan]) -> [String] {
        plans.flatMap { plan in plan.actions.map { "\(plan.workflow)/\($0.name)\($0.skipped ? " (skipped)" : "")" } }
    }

    @Test func conditionsContributeTheirActionsDepthFirstInOrder() throws {
        let config = try PolicyConfig(validating: try Self.json(Self.document))
        let plans = try config.plan(for: Self.engineer, change: .joined, changedAttributes: [])
        #expect(summary(plans) == ["Joiner/Create account", "Joiner/Welcome", "Joiner/Wait"])
        #expect(plans[0].actions.map(\.type) == [.sendRestPayload, .sendNotification, .pause])
        #expect(plans[0].actions.map(\.continueOnError) == [false, true, false])

        var manager = Self.engineer
        manager.attributes["is_manager"] = true
        manager.attributes["department"] = "Sales"
        manager.attributes["email"] = ""
        let managerPlans = try config.plan(for: manager, change: .joined, changedAttributes: [])
        #expect(summary(managerPlans) == ["Joiner/Create account", "Joiner/Welcome (skipped)", "Joiner/Notify HR"])
        #expect(managerPlans[0].actions.last?.continueOnError == true)
    }

    @Test func triggersSelectTheChangeKindAttributesAndFilter() throws {
        let config = try PolicyConfig(validating: try Self.json(Self.document))
        #expect(try config.plan(for: Self.engineer, change: .changed, changedAttributes: ["phone"]).isEmpty)
        #expect(summary(try config.plan(for: Self.engineer, change: .changed, changedAttributes: ["title"])) == ["Mover/Notify HR"])
        #expect(try config.plan(for: Self.engineer, change: .left, changedAttributes: []).isEmpty)
        var leaver = Self.engineer
        leaver.attributes["is_active"] = false
        #expect(summary(try config.plan(for: leaver, change: .left, changedAttributes: [])) == ["Leaver/Notify HR"])
        #expect(try config.plan(for: leaver, change: .joined, changedAttributes: []).map(\.workflow) == ["Leaver"])
    }

    @Test func plannedActionsRenderEveryKindOfSettings() throws {
        let config = try PolicyConfig(validating: try Self.json(Self.document))
        let context = TemplateContext(attributes: Self.engineer.attributes)
        let now = Timestamp(rfc3339: "2026-03-01T08:00:00Z")!
        let actions = try config.plan(for: Self.engineer, change: .joined, changedAttributes: [])[0].actions
        guard case .http(let connector, let method, let path, let headers, let body, let statuses) = try actions[0].render(context, now: now) else {
            Issue.record("not an HTTP action")
            return
        }
        #expect(connector == "crm" && method == "POST" && path == "/users/e1" && statuses == [200, 201])
        #expect(headers.map { "\($0.0): \($0.1)" } == ["X-Source: warden e1"])
        #expect(body == ["userName": "ann@corp.example", "number": 7])
        guard case .mail(_, let to, let cc, let subject, let text) = try actions[1].render(context, now: now) else {
            Issue.record("not an e-mail")
            return
        }
        #expect(to == ["Ann@Corp.Example", "boss@corp.example"] && cc.isEmpty && subject == "Welcome Ann" && text == "Hello ANN")
        guard case .pause(let until) = try actions[2].render(context, now: now) else {
            Issue.record("not a pause")
            return
        }
        #expect(until == Timestamp(rfc3339: "2026-03-01T09:30:00Z"))
        let hr = try config.plan(for: Self.engineer, change: .changed, changedAttributes: ["title"])[0].actions[0]
        guard case .webhook(let hook, let payload) = try hr.render(context, now: now) else {
            Issue.record("not a webhook")
            return
        }
        #expect(hook == "hooks" && payload == ["who": "e1", "n": 7])
        var missing = context
        missing.attributes["email"] = nil
        #expect(throws: TemplateError("the identity has no attribute \"email\"")) { try actions[0].render(missing, now: now) }
    }

    @Test func aPauseUntilRendersATimeFromTheIdentity() throws {
        let config = try PolicyConfig(validating: try Self.json(#"""
            {"workflows": [{"name": "w", "conditions_on_success": [{"actions_to_run": [{"name": "until start"}]}]}],
             "actions": [{"name": "until start", "type": "PAUSE", "config": {"until": "{start_date}T09:00:00Z"}}]}
            """#))
        let identity = Self.identity(["start_date": "2026-04-01"])
        let action = try config.plan(for: identity, change: .joined, changedAttributes: [])[0].actions[0]
        let rendered = try action.render(TemplateContext(attributes: identity.attributes), now: Timestamp(nanosecondsSinceEpoch: 0))
        guard case .pause(let until) = rendered else {
            Issue.record("not a pause")
            return
        }
        #expect(until == Timestamp(rfc3339: "2026-04-01T09:00:00Z"))
        #expect(throws: TemplateError.self) {
            try action.render(TemplateContext(attributes: ["start_date": "soon"]), now: Timestamp(nanosecondsSinceEpoch: 0))
        }
    }
}
