import Foundation
import NIOSSL
import WardenCore

extension Connector {
    static let maximumNameLength = 128
    static let maximumDescriptionLength = 4096
    static let timeoutRange = 1...600
    /// Headers the performers set themselves.
    static let reservedHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "idempotency-key"]

    /// The problems of a `name` and `description` held to a connector's rules (access profiles
    /// follow them too).
    static func violations(name: String, description: String) -> [APIError.FieldViolation] {
        var violations: [APIError.FieldViolation] = []
        if name.isEmpty {
            violations.append(.init(field: "name", description: "name is required"))
        } else if name.count > maximumNameLength || !isName(name) {
            violations.append(.init(
                field: "name",
                description: "name must be 1 to \(maximumNameLength) letters, digits, '.', '_' or '-', starting with a letter or digit; got \"\(name)\""))
        }
        if description.count > maximumDescriptionLength {
            violations.append(.init(
                field: "description", description: "description is \(description.count) characters long; the maximum is \(maximumDescriptionLength)"))
        }
        return violations
    }

    /// Every problem with this connector's values, by field.
    func violations() -> [APIError.FieldViolation] {
        var violations = Self.violations(name: name, description: description)
        func add(_ field: String, _ description: String) {
            violations.append(.init(field: field, description: description))
        }
        if !Self.timeoutRange.contains(timeoutSeconds) {
            add("timeout_seconds", "timeout_seconds must be from \(Self.timeoutRange.lowerBound) to \(Self.timeoutRange.upperBound), got \(timeoutSeconds)")
        }
        if !caFile.isEmpty, let problem = Self.certificateProblem(caFile) {
            add("ca_file", problem)
        }
        switch type {
        case .rest:
            if let problem = Self.urlProblem(baseURL, "base_url") { add("base_url", problem) }
            violations += headerViolations()
        case .webhook:
            if let problem = Self.urlProblem(url, "url") { add("url", problem) }
            violations += headerViolations()
        case .smtp:
            if host.isEmpty {
                add("host", "host is required: the mail server's name or address")
            } else if host.count > 253 || host.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "/" || $0 == "@" }) {
                add("host", "host must be a host name or an IP address, got \"\(host)\"")
            }
            if !(1...65535).contains(port) {
                add("port", "port must be from 1 to 65535, got \(port)")
            }
            if from.isEmpty {
                add("from", "from is required: the address mail is sent from")
            } else if !Self.isAddress(from) {
                add("from", "from must be an e-mail address like name@example.com, got \"\(from)\"")
            }
            if !password.isEmpty, username.isEmpty {
                add("username", "a password was given without a username")
            }
            if username.contains(where: \.isNewline) {
                add("username", "username must be one line")
            }
        case .scim:
            if let problem = Self.urlProblem(baseURL, "base_url") { add("base_url", problem) }
            if bearerToken.isEmpty {
                add("bearer_token", "bearer_token is required: the token the SCIM service provider accepts")
            } else if bearerToken.contains(where: { $0.isNewline || $0 == "\0" }) {
                add("bearer_token", "bearer_token must be one line without NUL characters")
            }
            violations += SCIMAttributeMapping.violations(attributeMapping, field: "attribute_mapping")
        }
        return violations
    }

    private func headerViolations() -> [APIError.FieldViolation] {
        var violations: [APIError.FieldViolation] = []
        for (field, map) in [("headers", headers), ("secret_headers", secretHeaders)] {
            for (header, value) in map.sorted(by: { $0.key < $1.key }) {
                if !Self.isToken(header) {
                    violations.append(.init(field: "\(field).\(header)", description: "\"\(header)\" is not a valid header name"))
                } else if Self.reservedHeaders.contains(header.lowercased()) {
                    violations.append(.init(field: "\(field).\(header)", description: "\(header) is set by Warden itself and cannot be configured"))
                }
                if value.contains(where: { $0.isNewline || $0 == "\0" }) {
                    violations.append(.init(field: "\(field).\(header)", description: "a header value must be one line without NUL characters"))
                }
            }
        }
        let shown = Set(headers.keys.map { $0.lowercased() })
        for header in secretHeaders.keys.sorted() where shown.contains(header.lowercased()) {
            violations.append(.init(field: "secret_headers.\(header)", description: "\(header) is in both headers and secret_headers; keep it in one"))
        }
        return violations
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// RFC 9110's token: what a header name may be.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0) }
    }

    /// A plain `local@domain` address, without display name, spaces or angle brackets.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.count <= 254 else { return false }
        return !text.contains(where: { $0.isWhitespace || $0.isNewline || "<>()[],;:\\\"".contains($0) || $0 == "\0" })
    }

    static func urlProblem(_ text: String, _ field: String) -> String? {
        guard !text.isEmpty else { return "\(field) is required: an http or https URL" }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { return "\(field) is not a URL: \"\(text)\"" }
        guard scheme == "http" || scheme == "https" else { return "\(field) must be an http or https URL, not \(scheme)" }
        guard components.user == nil, components.password == nil else {
            return "\(field) must not hold credentials; put them in secret_headers (e.g. Authorization)"
        }
        guard components.fragment == nil else { return "\(field) must not have a fragment (#...)" }
        return nil
    }

    static func certificateProblem(_ path: String) -> String? {
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(path)
            return certificates.isEmpty ? "ca_file \(path) holds no PEM certificate" : nil
        } catch {
            return "ca_file \(path) cannot be read as PEM certificates: \(error)"
        }
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
