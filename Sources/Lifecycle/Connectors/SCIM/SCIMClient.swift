import Foundation
import SCIMFilter
import WardenCore

/// The SCIM 2.0 calls of one action attempt against one SCIM connector, over the REST performer's
/// HTTP client, with its failure classification. Every call's request and response are kept for
/// the job; a call that fails throws a `SCIMFailure` saying what the target answered.
struct SCIMClient {
    let http: HTTPPerformer
    let connector: Connector
    let idempotencyKey: String
    /// Each call's recorded request and response, in order.
    private(set) var calls: [(request: JSONValue, response: JSONValue)] = []
    /// Whether any call got an answer.
    private(set) var responded = false
    /// Strings the calls carry that must not be recorded (a password being set), redacted from the job.
    var secrets: [String] = []

    static let contentType = "application/scim+json"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

    init(http: HTTPPerformer, connector: Connector, idempotencyKey: String) {
        self.http = http
        self.connector = connector
        self.idempotencyKey = idempotencyKey
    }

    /// One call; answers the status and the JSON body (null when empty). A status outside 2xx and
    /// `accepting` throws: 5xx, 408 and 429 as transient, other 4xx as permanent, with the SCIM
    /// error's `status`, `scimType` and `detail` in the message.
    @discardableResult
    mutating func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil, accepting: Set<Int> = []
    ) async throws(SCIMFailure) -> (status: Int, body: JSONValue) {
        var url = HTTPPerformer.join(connector.baseURL, path)
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        let exchange = await http.exchange(
            connector: connector, method: method, url: url,
            headers: [("Authorization", "Bearer \(connector.bearerToken)"), ("Accept", Self.contentType)], body: body,
            idempotencyKey: idempotencyKey, contentType: Self.contentType)
        calls.append((exchange.jobRequest, exchange.jobResult))
        switch exchange.answer {
        case .failed(let result, let words):
            throw SCIMFailure(result: result, message: "\(method) \(exchange.shownURL): \(words)")
        case .answered(let status, let reason, _, let data, _):
            responded = true
            let json = data.isEmpty ? JSONValue.null : ((try? WireJSON.decoder().decode(JSONValue.self, from: data)) ?? .null)
            if (200..<300).contains(status) || accepting.contains(status) { return (status, json) }
            let result = HTTPPerformer.classify(status: status, successStatuses: nil, replayed: false)
            throw SCIMFailure(
                result: result == .transientFailure ? .transientFailure : .permanentFailure,
                message: "\(method) \(exchange.shownURL) → \(status) \(reason): \(Self.describeError(json, data))",
                retryAfter: exchange.retryAfter, status: status, scimType: json.memberString("scimType"))
        }
    }

    /// A SCIM error body in words: `scimType: detail`, or the start of a body that is not one.
    static func describeError(_ json: JSONValue, _ data: Data) -> String {
        let detail = json.memberString("detail")
        let type = json.memberString("scimType")
        switch (type, detail) {
        case (let type?, let detail?): return "\(type): \(detail)"
        case (nil, let detail?): return detail
        case (let type?, nil): return type
        default:
            let text = String(decoding: data, as: UTF8.self).prefix(HTTPPerformer.quotedBodyCharacters).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? "no error detail" : text
        }
    }

    /// A query value percent-encoded: only unreserved characters stay.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A SCIM string literal: quoted, `"` and `\` escaped.
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: Resources

    /// The resources of `endpoint` (`/Users`, `/Groups`) matching `filter`.
    mutating func search(_ endpoint: String, filter: String) async throws(SCIMFailure) -> [[String: JSONValue]] {
        let (_, body) = try await call("GET", endpoint, query: [("filter", filter)])
        return (body.scimMember("Resources")?.arrayElements ?? []).compactMap(\.objectMembers)
    }

    /// The user whose `externalId` is `externalID`, else the one whose `userName` is `userName`.
    mutating func findUser(externalID: String, userName: String?) async throws(SCIMFailure) -> [String: JSONValue]? {
        if let user = try await search("/Users", filter: "externalId eq \(Self.literal(externalID))").first { return user }
        guard let userName, !userName.isEmpty else { return nil }
        return try await search("/Users", filter: "userName eq \(Self.literal(userName))").first
    }

    /// The group whose `displayName` is `name`.
    mutating func findGroup(displayName name: String) async throws(SCIMFailure) -> [String: JSONValue]? {
        try await search("/Groups", filter: "displayName eq \(Self.literal(name))").first
    }

    /// Whether the server's ServiceProviderConfig says it supports PATCH.
    mutating func supportsPatch() async throws(SCIMFailure) -> Bool {
        let (_, body) = try await call("GET", "/ServiceProviderConfig")
        guard case .bool(let supported)? = body.scimMember("patch")?.scimMember("supported") else { return false }
        return supported
    }

    /// PATCH `path` with `operations` (each `{op, path?, value?}`).
    mutating func patch(_ path: String, _ operations: [JSONValue]) async throws(SCIMFailure) {
        try await call("PATCH", path, body: .object(["schemas": .array([.string(Self.patchSchema)]), "Operations": .array(operations)]))
    }

    /// `resource` without what the server owns, for a PUT.
    static func replacement(_ resource: [String: JSONValue]) -> JSONValue {
        .object(resource.filter { $0.key != "meta" })
    }
}

/// Why a SCIM call, and so the action attempt, failed.
struct SCIMFailure: Error {
    var result: ActionAttempt.Result
    var message: String
    var retryAfter: Duration?
    /// The HTTP status, when the target answered.
    var status: Int?
    var scimType: String?
}

extension JSONValue {
    /// The member `name` of an object when it is a string.
    func memberString(_ name: String) -> String? {
        guard case .string(let text)? = scimMember(name) else { return nil }
        return text
    }

    /// The member `name` of an object, its name compared without case as SCIM does; nil for anything else.
    func scimMember(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[name] ?? members.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}
