import Foundation
import WardenCore

extension AccessProfile {
    /// A create or PUT body: `name`, `connector` and `groups` required, `description` optional. A
    /// member an access profile does not have is rejected, naming it.
    public struct Input: Decodable, Sendable, Equatable {
        public var name: String
        public var description: String
        public var connector: String
        public var groups: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, description, connector, groups
        }

        public init(name: String, description: String = "", connector: String, groups: [String]) {
            self.name = name
            self.description = description
            self.connector = connector
            self.groups = groups
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(
                CodingKeys.self, "not a field of an access profile; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
            connector = try container.decodeIfPresent(String.self, forKey: .connector) ?? ""
            groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        }

        static let maximumGroups = 1000

        /// Every problem with this input, given the connectors' types by name; one 400 listing them all.
        func validate(connectors: [String: ConnectorType]) throws(APIError) {
            var violations = Connector.violations(name: name, description: description)
            func add(_ field: String, _ description: String) {
                violations.append(.init(field: field, description: description))
            }
            if connector.isEmpty {
                add("connector", "connector is required: the SCIM connector whose groups the profile grants")
            } else if let type = connectors[connector] {
                if type != .scim { add("connector", "connector \"\(connector)\" is a \(type.rawValue) connector; an access profile needs a SCIM connector") }
            } else {
                add("connector", "there is no connector named \"\(connector)\"")
            }
            if groups.isEmpty {
                add("groups", "groups needs at least one group's display name")
            } else if groups.count > Self.maximumGroups {
                add("groups", "groups has \(groups.count) entries; the maximum is \(Self.maximumGroups)")
            }
            var seen: Set<String> = []
            for (offset, group) in groups.enumerated() {
                if group.trimmingCharacters(in: .whitespaces).isEmpty {
                    add("groups[\(offset)]", "groups[\(offset)] is empty")
                } else if !seen.insert(group).inserted {
                    add("groups[\(offset)]", "groups[\(offset)] repeats \"\(group)\"")
                }
            }
            guard violations.isEmpty else { throw APIError.invalidFields(violations) }
        }
    }
}
