import WardenCore

extension SmartActionDefinition {
    /// A create or update body: every member optional; on update, the members sent replace the stored
    /// ones. `apply_to_all_rows` may be a boolean or the string `"true"`/`"false"` (Veza's examples
    /// send the string). A member Veza's definition does not have is rejected, naming it.
    public struct Input: Decodable, Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var description: String?
        public var workflowID: String?
        public var filter: String?
        public var mutableFields: MutableFields?
        public var mutableFilter: String?
        public var applyToAllRows: WireBool?

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(
                CodingKeys.self,
                "not a field of a smart action definition; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            workflowID = try container.decodeIfPresent(String.self, forKey: .workflowID)
            filter = try container.decodeIfPresent(String.self, forKey: .filter)
            mutableFields = try container.decodeIfPresent(MutableFields.self, forKey: .mutableFields)
            mutableFilter = try container.decodeIfPresent(String.self, forKey: .mutableFilter)
            applyToAllRows = try container.decodeIfPresent(WireBool.self, forKey: .applyToAllRows)
        }

        /// `definition` with the members this input sends.
        public func applied(to definition: SmartActionDefinition) -> SmartActionDefinition {
            var result = definition
            if let name { result.name = name }
            if let description { result.description = description }
            if let workflowID { result.workflowID = workflowID }
            if let filter { result.filter = filter }
            if let mutableFields { result.mutableFields = mutableFields }
            if let mutableFilter { result.mutableFilter = mutableFilter }
            if let applyToAllRows { result.applyToAllRows = applyToAllRows.value }
            return result
        }
    }

    /// An update body: `{"value": {...}}` as Veza documents it, or the definition itself.
    public struct Update: Decodable, Sendable {
        public var value: Input

        enum CodingKeys: String, CodingKey {
            case value
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            value = try container.decodeIfPresent(Input.self, forKey: .value) ?? Input(from: decoder)
        }
    }
}
