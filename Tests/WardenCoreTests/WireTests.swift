import Foundation
import SCIMFilter
import Testing
import WardenCore

@Suite struct WireTests {
    struct Body: Decodable {
        var flag: WireBool
        var role: Role
        var at: Timestamp?
    }

    static func decode(_ json: String) throws -> Body {
        try WireJSON.decode(Body.self, from: Data(json.utf8))
    }

    @Test func booleansAcceptStringsAsVezaSendsThem() throws {
        #expect(try Self.decode(#"{"flag": "false", "role": "admin"}"#).flag.value == false)
        #expect(try Self.decode(#"{"flag": "TRUE", "role": "admin"}"#).flag.value == true)
        #expect(try Self.decode(#"{"flag": true, "role": "admin"}"#).flag.value == true)
        #expect(throws: APIError.self) { try Self.decode(#"{"flag": "yes", "role": "admin"}"#) }
    }

    @Test func enumsAcceptNamesInAnyCaseAndNumbers() throws {
        #expect(try Self.decode(#"{"flag": true, "role": "OPERATOR"}"#).role == .operator)
        #expect(try Self.decode(#"{"flag": true, "role": 2}"#).role == .reviewer)
        do {
            _ = try Self.decode(#"{"flag": true, "role": 9}"#)
            Issue.record("9 is not a role")
        } catch let error as APIError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("role") && error.message.contains("admin, operator, reviewer, viewer"))
        }
    }

    @Test func timestampsAreUTCWithNineDigitsAndAcceptOffsets() throws {
        let body = try Self.decode(#"{"flag": true, "role": "admin", "at": "2026-01-02T05:04:05.5+02:00"}"#)
        #expect(body.at?.rfc3339 == "2026-01-02T03:04:05.500000000Z")
        let encoded = try WireJSON.encoder().encode(["at": Timestamp(nanosecondsSinceEpoch: 1)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"at":"1970-01-01T00:00:00.000000001Z"}"#)
        #expect(throws: APIError.self) { try Self.decode(#"{"flag": true, "role": "admin", "at": "yesterday"}"#) }
    }

    @Test func missingAndMistypedFieldsAreNamed() {
        #expect(throws: APIError.invalidArgument("role", "role is required")) { try Self.decode(#"{"flag": true}"#) }
        #expect(throws: APIError.invalidArgument("body", "request body is not valid JSON")) { try Self.decode("{") }
    }

    @Test func errorEnvelopeCarriesViolationsAndUserFacingInfo() throws {
        let envelope = ErrorEnvelope(.invalidArgument("page_size", "page_size must be from 1 to 1000, got 0"), requestID: String(repeating: "a", count: 32), at: Timestamp(nanosecondsSinceEpoch: 0))
        let json = try JSONSerialization.jsonObject(with: WireJSON.encoder().encode(envelope)) as? [String: Any] ?? [:]
        #expect(json["code"] as? String == "InvalidArgument")
        #expect(json["timestamp"] as? String == "1970-01-01T00:00:00.000000000Z")
        let details = json["details"] as? [[String: Any]] ?? []
        #expect(details.first?["@type"] as? String == "type.googleapis.com/google.rpc.BadRequest")
        #expect((details.first?["field_violations"] as? [[String: String]])?.first?["field"] == "page_size")
        #expect(details.last?["reason"] as? String == "INVALID_ARGUMENTS")
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseConfiguration.parse("sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseConfiguration.resolve(databaseURL: nil, dataDirectory: "d") == .sqlite(path: "d/warden.sqlite") || ProcessInfo.processInfo.environment["WARDEN_DATABASE_URL"] != nil)
        #expect(throws: DatabaseError.self) { try DatabaseConfiguration.parse("mysql://x") }
        #expect(try DatabaseConfiguration.parse("postgres://u:secret@h:1/d").redacted.contains("secret") == false)
    }

    /// An absent timestamp is on the wire as null, never left out, for every type that has one.
    @Test func absentTimestampsAreNull() throws {
        let key = APIKey(id: "k", name: "n", role: .viewer, email: "", status: .active, createdAt: Timestamp(nanosecondsSinceEpoch: 0), createdBy: "t", lastAccessAt: nil)
        let keyJSON = String(decoding: try WireJSON.encoder().encode(key), as: UTF8.self)
        #expect(keyJSON.contains(#""last_access_at":null"#))
        let job = try WireJSON.decoder().decode(ExportJob.self, from: Data(#"{"id": "e", "kind": "action_events", "status": "CREATED", "format": "CSV", "filter": "", "order_by": "", "row_count": 0, "size_bytes": 0, "created_at": "1970-01-01T00:00:00Z", "message": "", "download_url": ""}"#.utf8))
        let jobJSON = String(decoding: try WireJSON.encoder().encode(job), as: UTF8.self)
        #expect(jobJSON.contains(#""finished_at":null"#) && jobJSON.contains(#""created_at":"1970-01-01T00:00:00.000000000Z""#))
    }
}
