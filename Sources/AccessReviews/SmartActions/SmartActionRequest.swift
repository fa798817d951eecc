import WardenCore

/// `results:apply_smart_action`'s body: which definition, and whether only to preview.
public struct SmartActionRequest: Decodable, Sendable {
    public var definitionID: String
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case definitionID = "smart_action_definition_id"
        case dryRun = "dry_run"
    }

    public init(definitionID: String, dryRun: Bool = false) {
        self.definitionID = definitionID
        self.dryRun = dryRun
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownMembers(CodingKeys.self, "not a field of an apply request; its fields are smart_action_definition_id, dry_run")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        definitionID = try container.decode(String.self, forKey: .definitionID)
        dryRun = try container.decodeIfPresent(WireBool.self, forKey: .dryRun)?.value ?? false
    }
}
