import WardenCore

extension Connector {
    /// A create or PATCH body: every member optional. On PATCH the members sent replace the stored
    /// ones, except `secret_headers`, which sets the headers it names and keeps the others (an empty
    /// value removes one), and `password` and `bearer_token`, which are kept when not sent. A member no connector has is
    /// rejected, naming it.
    public struct Input: Decodable, Sendable, Equatable {
        public var name: String?
        public var type: ConnectorType?
        public var description: String?
        public var baseURL: String?
        public var url: String?
        public var headers: [String: String]?
        public var secretHeaders: [String: String]?
        public var timeoutSeconds: Int?
        public var caFile: String?
        public var host: String?
        public var port: Int?
        public var startTLS: StartTLS?
        public var username: String?
        public var password: String?
        public var from: String?
        public var bearerToken: String?
        public var attributeMapping: [String: String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, type, description
            case baseURL = "base_url"
            case url, headers
            case secretHeaders = "secret_headers"
            case timeoutSeconds = "timeout_seconds"
            case caFile = "ca_file"
            case host, port
            case startTLS = "starttls"
            case username, password, from
            case bearerToken = "bearer_token"
            case attributeMapping = "attribute_mapping"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownMembers(
                CodingKeys.self, "not a field of a connector; its fields are \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            type = try container.decodeIfPresent(ConnectorType.self, forKey: .type)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            headers = try container.decodeIfPresent([String: String].self, forKey: .headers)
            secretHeaders = try container.decodeIfPresent([String: String].self, forKey: .secretHeaders)
            timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds)
            caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
            host = try container.decodeIfPresent(String.self, forKey: .host)
            port = try container.decodeIfPresent(Int.self, forKey: .port)
            startTLS = try container.decodeIfPresent(StartTLS.self, forKey: .startTLS)
            username = try container.decodeIfPresent(String.self, forKey: .username)
            password = try container.decodeIfPresent(String.self, forKey: .password)
            from = try container.decodeIfPresent(String.self, forKey: .from)
            bearerToken = try container.decodeIfPresent(String.self, forKey: .bearerToken)
            attributeMapping = try container.decodeIfPresent([String: String].self, forKey: .attributeMapping)
        }

        /// The members of each type; any other member sent is a 400.
        static let members: [ConnectorType: Set<CodingKeys>] = [
            .rest: [.name, .type, .description, .baseURL, .headers, .secretHeaders, .timeoutSeconds, .caFile],
            .webhook: [.name, .type, .description, .url, .headers, .secretHeaders, .timeoutSeconds, .caFile],
            .smtp: [.name, .type, .description, .host, .port, .startTLS, .username, .password, .from, .timeoutSeconds, .caFile],
            .scim: [.name, .type, .description, .baseURL, .bearerToken, .attributeMapping, .timeoutSeconds, .caFile],
        ]

        /// The members this input sends.
        var sent: [CodingKeys] {
            let present: [(CodingKeys, Bool)] = [
                (.name, name != nil), (.type, type != nil), (.description, description != nil), (.baseURL, baseURL != nil),
                (.url, url != nil), (.headers, headers != nil), (.secretHeaders, secretHeaders != nil),
                (.timeoutSeconds, timeoutSeconds != nil), (.caFile, caFile != nil), (.host, host != nil), (.port, port != nil),
                (.startTLS, startTLS != nil), (.username, username != nil), (.password, password != nil), (.from, from != nil),
                (.bearerToken, bearerToken != nil), (.attributeMapping, attributeMapping != nil),
            ]
            return present.filter(\.1).map(\.0)
        }

        /// `connector` with the members this input sends, checked as a whole: every problem is one
        /// field violation of a single 400.
        public func applied(to connector: Connector) throws(APIError) -> Connector {
            var violations: [APIError.FieldViolation] = []
            if let type, type != connector.type {
                violations.append(.init(
                    field: "type", description: "a connector's type cannot change (it is \(connector.type.rawValue)); create a new connector instead"))
            }
            let allowed = Self.members[connector.type] ?? []
            for member in sent where !allowed.contains(member) {
                violations.append(.init(field: member.stringValue, description: "\(member.stringValue) is not a field of a \(connector.type.rawValue) connector"))
            }
            var result = connector
            if let name { result.name = name }
            if let description { result.description = description }
            if let baseURL { result.baseURL = baseURL }
            if let url { result.url = url }
            if let headers { result.headers = headers }
            if let secretHeaders {
                for (header, value) in secretHeaders {
                    result.secretHeaders[header] = value.isEmpty ? nil : value
                }
            }
            if let timeoutSeconds { result.timeoutSeconds = timeoutSeconds }
            if let caFile { result.caFile = caFile }
            if let host { result.host = host }
            if let port { result.port = port }
            if let startTLS { result.startTLS = startTLS }
            if let username { result.username = username }
            if let password { result.password = password }
            if let from { result.from = from }
            if let bearerToken { result.bearerToken = bearerToken }
            if let attributeMapping { result.attributeMapping = attributeMapping }
            violations += result.violations()
            guard violations.isEmpty else { throw Connector.invalid(violations) }
            return result
        }
    }

    /// One 400 carrying every violation.
    static func invalid(_ violations: [APIError.FieldViolation]) -> APIError {
        let message = violations.count == 1
            ? violations[0].description
            : "the connector has \(violations.count) problems: " + violations.map { "\($0.field): \($0.description)" }.joined(separator: "; ")
        return APIError(.invalidArgument, message, fieldViolations: violations, resolution: "Correct the fields named in the violations and retry.")
    }
}
