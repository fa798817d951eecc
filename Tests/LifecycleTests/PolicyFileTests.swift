import Foundation
import Lifecycle
import SCIMFilter
import Testing
import WardenTestSupport

@Suite struct PolicyFileTests {
    /// The create body of `PolicyRoutesTests`, written as a person writes YAML.
    static let yaml = #"""
        name: Joiners
        description: JML for HR
        datasource_ids: [hr]
        retry_count: 3
        safety_limit_settings:
          max_changes_percent: 20
        config:
          workflows:
            - name: Joiner
              trigger:
                changes: [JOINED]
                filter: is_active eq true
              conditions_on_success:
                - name: everyone
                  condition_type: ANY
                  actions_to_run: [{name: Create account}, {name: Welcome}]
                  conditions_on_success:
                    - name: engineers
                      condition_string: department eq "Engineering"
                      actions_to_run: [{name: Wait}, {name: Create account}]
                - name: managers
                  condition_string: is_manager eq true
                  continue_actions_if_any_error: true
                  actions_to_run: [{name: Notify HR}]
            - name: Mover
              trigger: {changes: [CHANGED], attributes: [department, title]}
              conditions_on_success: [{condition_type: ANY, actions_to_run: [{name: Notify HR}]}]
            - name: Leaver
              trigger_string: is_active eq false
              conditions_on_success: [{actions_to_run: [{name: Notify HR}]}]
            - name: Old
              state: DISABLED
              conditions_on_success: [{actions_to_run: [{name: Notify HR}]}]
          actions:
            - name: Create account
              type: SEND_REST_PAYLOAD
              config:
                connector: crm
                method: post
                path: /users/{employee_id}
                headers: {X-Source: "warden {employee_id}"}
                body: {userName: "{email | LOWER}", number: "{employee_number}"}
                success_statuses: [200, 201]
            - name: Welcome
              type: SEND_NOTIFICATION
              condition: email pr
              continue_on_error: "true"
              config:
                connector: mail
                to: ["{email}", "{manager_email}"]
                subject: Welcome {first_name}
                body: Hello {first_name | UPPER}
            - name: Wait
              type: PAUSE
              config: {duration: 1h30m}
            - name: Notify HR
              type: SEND_NOTIFICATION
              config:
                connector: hooks
                body: {who: "{employee_id}", n: "{employee_number}"}
        """#

    @Test func aYAMLFileReadsAsTheSameBodyAsItsJSON() throws {
        let fromYAML = try PolicyFile.body(from: Data(Self.yaml.utf8), fileName: "joiners.yaml")
        let json = PolicyRoutesTests.createBody()
        #expect(fromYAML == (try PolicyFile.body(from: Data(json.utf8), fileName: "joiners.json")))
        #expect(fromYAML == (try PolicyFile.body(from: Data(json.utf8), fileName: "joiners")))
        #expect(fromYAML == (try PolicyFile.body(from: Data(Self.yaml.utf8), fileName: "joiners.policy")))
    }

    @Test func writtenYAMLReadsBackUnchanged() throws {
        let body = try PolicyFile.body(from: Data(Self.yaml.utf8), fileName: "joiners.yml")
        let tricky: JSONValue = ["zip": "007", "flag": "true", "none": "null", "when": "2026-01-01", "n": 7, "x": 1.5, "yes": true, "nothing": nil, "list": [], "map": [:]]
        for value in [body, tricky] {
            let text = try PolicyFile.yaml(value)
            #expect(try PolicyFile.body(from: Data(text.utf8), fileName: "out.yaml") == value, "\(text)")
        }
    }

    @Test func badFilesSayWhy() {
        #expect(throws: PolicyFile.ReadError.self) { try PolicyFile.body(from: Data("name: [unclosed".utf8), fileName: "p.yaml") }
        #expect(throws: PolicyFile.ReadError.self) { try PolicyFile.body(from: Data("{\"name\": ".utf8), fileName: "p.json") }
        #expect(throws: PolicyFile.ReadError.self) { try PolicyFile.body(from: Data("- a\n- b\n".utf8), fileName: "p.yaml") }
    }

    @Test func aYAMLPolicyIsAcceptedByTheServer() async throws {
        try await TestServer.run(policyEnvironment: PolicyRoutesTests.environment) { server in
            let body = try PolicyFile.body(from: Data(Self.yaml.utf8), fileName: "joiners.yaml")
            let response = try await server.request(.post, PolicyRoutesTests.path, json: body.jsonText)
            #expect(response.status == .ok, "\(response.text)")
        }
    }
}
