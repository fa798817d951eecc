import SCIMFilter
import WardenCore

/// One row as loaded into a certification: a JSON object (in a JSON array or NDJSON line), or a CSV
/// record (see `ResultImport`).
public struct ResultImportRow: Decodable, Sendable, Equatable {
    /// The row's id within its certification; the next free one when absent.
    public var resultID: Int64?
    public var source: [String: JSONValue]
    public var destination: [String: JSONValue]
    public var abstractPermissions: [String]
    public var concretePermissions: [String]
    public var reviewers: [WorkflowUser]
    public var decision: ResultDecision?
    public var notes: String?

    public init(
        resultID: Int64? = nil, source: [String: JSONValue] = [:], destination: [String: JSONValue] = [:],
        abstractPermissions: [String] = [], concretePermissions: [String] = [], reviewers: [WorkflowUser] = [],
        decision: ResultDecision? = nil, notes: String? = nil
    ) {
        self.resultID = resultID
        self.source = source
        self.destination = destination
        self.abstractPermissions = abstractPermissions
        self.concretePermissions = concretePermissions
        self.reviewers = reviewers
        self.decision = decision
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resultID = "result_id"
        case source
        case destination
        case abstractPermissions = "abstract_permissions"
        case concretePermissions = "concrete_permissions"
        case reviewers
        case decision
        case notes
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownMembers(
            CodingKeys.self, "not a field of a result row; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resultID = try container.decodeIfPresent(Int64.self, forKey: .resultID)
        source = try container.decodeIfPresent([String: JSONValue].self, forKey: .source) ?? [:]
        destination = try container.decodeIfPresent([String: JSONValue].self, forKey: .destination) ?? [:]
        for (key, object) in [(CodingKeys.source, source), (.destination, destination)] {
            if let problem = object.keys.lazy.compactMap(Self.problem(withName:)).first {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: problem)
            }
        }
        abstractPermissions = try container.decodeIfPresent([String].self, forKey: .abstractPermissions) ?? []
        concretePermissions = try container.decodeIfPresent([String].self, forKey: .concretePermissions) ?? []
        reviewers = try container.decodeIfPresent([WorkflowUser].self, forKey: .reviewers) ?? []
        decision = try container.decodeIfPresent(ResultDecision.self, forKey: .decision)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
    }

    /// Why a property name cannot be stored, or nil: it must be 1 to 256 bytes, without NUL.
    static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a property name is empty" }
        if name.utf8.count > 256 { return "property name \"\(name.prefix(40))…\" is longer than 256 bytes" }
        if name.utf8.contains(0) { return "property name \"\(name.prefix(40))\" contains a NUL character" }
        return nil
    }
}
