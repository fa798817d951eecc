import Foundation

extension APIKey {
    /// The longest email address a key takes (RFC 5321's limit on a path).
    public static let maximumEmailLength = 254

    /// `text` as a key's email: trimmed, with A-Z lowered (as SQLite's `lower` and PostgreSQL's
    /// `lower(… COLLATE "C")` lower them, so stored and compared emails agree); "" stays "". Anything
    /// but one `@` between a non-empty local part and domain, without spaces, is a 400 on `field`.
    public static func normalizedEmail(_ text: String, field: String = "email") throws(APIError) -> String {
        let email = asciiLowercased(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !email.isEmpty else { return "" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        else {
            throw .invalidArgument(field, "\(field) must be an email address such as kim@example.com, got \"\(text.prefix(80))\"")
        }
        guard email.utf8.count <= maximumEmailLength else {
            throw .invalidArgument(field, "\(field) is \(email.utf8.count) bytes long; the maximum is \(maximumEmailLength)")
        }
        return email
    }

    /// `text` with A-Z lowered and nothing else changed.
    public static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
