import SCIMFilter
import WardenCore

/// A create body (`POST policies`) read with every problem collected: the policy's fields, and
/// optionally `config` for its first (draft) version.
struct PolicyInput: Sendable {
    var name: String
    var description: String
    var state: PolicyState
    var datasourceIDs: [String]
    var retryCount: Int
    var noRetryForFailedWorkflows: Bool
    var safetyLimitSettings: SafetyLimitSettings
    var config: PolicyConfig

    static let fields = [
        "name", "description", "state", "datasource_ids", "retry_count", "no_retry_for_failed_workflows", "safety_limit_settings", "config",
    ]
    static let maximumNameLength = 256
    static let maximumRetryCount = 100

    /// The input as far as it can be read, the problems in `reader`.
    static func read(_ body: JSONValue, reader: inout ConfigReader) -> PolicyInput {
        let members = reader.object(body, at: "", allowed: fields, what: "a policy")
        let name = reader.string(members, "name", at: "", required: true)
        if let name, name.count > maximumNameLength {
            reader.report("name", "name is \(name.count) characters long; the maximum is \(maximumNameLength)")
        }
        let description = reader.string(members, "description", at: "") ?? ""
        let state = reader.wireEnum(PolicyState.self, members, "state", at: "") ?? .initial
        if state.needsLiveVersion {
            reader.report("state", "a new policy has no published version to run; create it INITIAL or PAUSED, publish a version, then set \(state.rawValue)")
        }
        let datasourceIDs = reader.strings(members, "datasource_ids", at: "")
        if datasourceIDs.isEmpty {
            reader.report("datasource_ids", "datasource_ids needs at least one identity source id: the sources whose identities the policy acts on")
        }
        let retryCount = reader.integer(members, "retry_count", at: "") ?? Policy.defaultRetryCount
        if !(0...maximumRetryCount).contains(retryCount) {
            reader.report("retry_count", "retry_count must be from 0 to \(maximumRetryCount)")
        }
        let noRetry = reader.bool(members, "no_retry_for_failed_workflows", at: "") ?? false
        let limits = reader.object(
            members["safety_limit_settings"], at: "safety_limit_settings", allowed: ["max_changes_absolute", "max_changes_percent"],
            what: "safety_limit_settings")
        let absolute = reader.integer(limits, "max_changes_absolute", at: "safety_limit_settings") ?? 0
        let percent = reader.integer(limits, "max_changes_percent", at: "safety_limit_settings") ?? 0
        if absolute < 0 {
            reader.report("safety_limit_settings.max_changes_absolute", "safety_limit_settings.max_changes_absolute must be 0 (no limit) or more")
        }
        if !(0...100).contains(percent) {
            reader.report("safety_limit_settings.max_changes_percent", "safety_limit_settings.max_changes_percent must be from 0 (no limit) to 100")
        }
        var parser = PolicyConfigParser(reader: reader)
        let config = parser.parse(members["config"] ?? .object([:]), at: "config")
        reader = parser.reader
        return PolicyInput(
            name: name ?? "", description: description, state: state, datasourceIDs: datasourceIDs, retryCount: retryCount,
            noRetryForFailedWorkflows: noRetry, safetyLimitSettings: SafetyLimitSettings(maxChangesAbsolute: absolute, maxChangesPercent: percent),
            config: config)
    }
}
