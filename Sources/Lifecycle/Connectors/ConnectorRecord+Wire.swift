import WardenCore

extension ConnectorRecord: Encodable {
    enum WireKeys: String, CodingKey {
        case id, name, type, description
        case baseURL = "base_url"
        case url, headers
        case secretHeaderNames = "secret_header_names"
        case timeoutSeconds = "timeout_seconds"
        case caFile = "ca_file"
        case host, port
        case startTLS = "starttls"
        case username
        case hasPassword = "has_password"
        case from
        case attributeMapping = "attribute_mapping"
        case hasBearerToken = "has_bearer_token"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The members of the connector's type; never a secret, only which secrets are set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(settings.description, forKey: .description)
        try container.encode(settings.timeoutSeconds, forKey: .timeoutSeconds)
        try container.encode(settings.caFile, forKey: .caFile)
        switch type {
        case .rest, .webhook:
            if type == .rest {
                try container.encode(settings.baseURL, forKey: .baseURL)
            } else {
                try container.encode(settings.url, forKey: .url)
            }
            try container.encode(settings.headers, forKey: .headers)
            try container.encode(settings.secretHeaderNames, forKey: .secretHeaderNames)
        case .smtp:
            try container.encode(settings.host, forKey: .host)
            try container.encode(settings.port, forKey: .port)
            try container.encode(settings.startTLS, forKey: .startTLS)
            try container.encode(settings.username, forKey: .username)
            try container.encode(settings.hasPassword, forKey: .hasPassword)
            try container.encode(settings.from, forKey: .from)
        case .scim:
            try container.encode(settings.baseURL, forKey: .baseURL)
            try container.encode(settings.hasBearerToken ?? false, forKey: .hasBearerToken)
            try container.encode(settings.attributeMapping ?? [:], forKey: .attributeMapping)
        }
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
