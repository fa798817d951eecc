import Crypto
import Foundation
import SCIMFilter
import WardenCore

/// One identity read from an import body, ready to stage: its ids, its attributes as canonical
/// JSON text (keys sorted) and a hash of that text, which change detection compares.
struct ImportedIdentity: Sendable {
    /// Where it was read: the line of a CSV or NDJSON body, the element (from 1) of a JSON array.
    var line: Int
    var identityID: String
    var entityID: String
    var name: String
    var attributesText: String
    var attributesHash: Int64

    /// Reads an identity from its attributes; `where` names its place in the body for messages.
    init(attributes: [String: JSONValue], line: Int, where place: String, source: IdentitySource) throws {
        let entityID: String
        switch attributes[source.idAttribute] {
        case .string(let text) where !text.isEmpty:
            entityID = text
        case .number(let number) where number.rounded() == number && Swift.abs(number) <= 9_007_199_254_740_992:
            entityID = String(Int64(number))
        case nil, .null?, .string?:
            throw APIError.invalidArgument("body", "\(place): the identity has no \"\(source.idAttribute)\", the source's id_attribute")
        default:
            throw APIError.invalidArgument("body", "\(place): \"\(source.idAttribute)\" must be a string or a whole number")
        }
        let name: String
        switch attributes[source.nameAttribute] {
        case .string(let text) where !text.isEmpty: name = text
        case .number(let number): name = JSONValue.number(number).jsonText
        default: name = entityID
        }
        let text = JSONValue.object(attributes).jsonText
        self.line = line
        self.identityID = Self.identityID(sourceID: source.id, entityID: entityID)
        self.entityID = entityID
        self.name = name
        self.attributesText = text
        self.attributesHash = Self.hash(text)
    }

    /// Warden's id of the identity `entityID` of a source: a name-based UUID (SHA-256, version 8),
    /// the same on every import, so a re-hire keeps its id.
    static func identityID(sourceID: String, entityID: String) -> String {
        NameBasedID.make(sourceID, entityID)
    }

    /// The first eight bytes of the text's SHA-256.
    static func hash(_ text: String) -> Int64 {
        SHA256.hash(data: Data(text.utf8)).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }
}
