import SCIMFilter
import WardenCore

/// A source of identities (an HR system's export, a directory): a named data source whose imports
/// are extraction events. Policies name sources in `datasource_ids`.
public struct IdentitySource: Codable, Sendable, Equatable {
    public var id: String
    /// Unique among sources.
    public var name: String
    public var description: String
    /// What its identities are called in the activity log's `entity_type`, e.g. `HRWorker`.
    public var entityType: String
    /// The attribute that identifies an identity within the source (an employee number, say).
    public var idAttribute: String
    /// The attribute that names an identity; the id when the identity lacks it.
    public var nameAttribute: String
    /// Identities that have not left.
    public var activeIdentityCount: Int64
    public var createdAt: Timestamp
    public var createdBy: String

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case entityType = "entity_type"
        case idAttribute = "id_attribute"
        case nameAttribute = "name_attribute"
        case activeIdentityCount = "active_identity_count"
        case createdAt = "created_at"
        case createdBy = "created_by"
    }

    /// A create body: everything but the name may be left out.
    public struct Input: Codable, Sendable {
        public var name: String
        public var description: String?
        public var entityType: String?
        public var idAttribute: String?
        public var nameAttribute: String?

        enum CodingKeys: String, CodingKey {
            case name, description
            case entityType = "entity_type"
            case idAttribute = "id_attribute"
            case nameAttribute = "name_attribute"
        }

        public init(name: String, description: String? = nil, entityType: String? = nil, idAttribute: String? = nil, nameAttribute: String? = nil) {
            self.name = name
            self.description = description
            self.entityType = entityType
            self.idAttribute = idAttribute
            self.nameAttribute = nameAttribute
        }

        /// Checks every field; all problems are named in one 400.
        func validated() throws -> Input {
            var problems: [APIError.FieldViolation] = []
            let name = name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { problems.append(.init(field: "name", description: "name is required")) }
            if name.count > 256 { problems.append(.init(field: "name", description: "name is \(name.count) characters long; the maximum is 256")) }
            for (field, value) in [("entity_type", entityType), ("id_attribute", idAttribute), ("name_attribute", nameAttribute)] {
                if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append(.init(field: field, description: "\(field) is empty; leave it out for the default"))
                }
            }
            if !problems.isEmpty {
                throw APIError(.invalidArgument, problems.map(\.description).joined(separator: "; "), fieldViolations: problems)
            }
            var input = self
            input.name = name
            return input
        }
    }
}
