import Foundation

/// A link to a page with query parameters, written percent-encoded (`+` as `%2B`, as `FormFields`
/// reads it back). Parameters without a value are left out.
struct PageLink {
    let path: String
    private(set) var parameters: [(name: String, value: String)]

    init(_ path: String, _ parameters: [(String, String?)] = []) {
        self.path = path
        self.parameters = []
        for (name, value) in parameters { setting(name, value) }
    }

    /// This link with `name` set to `value` (appended), or removed when `value` is nil or empty.
    mutating func setting(_ name: String, _ value: String?) {
        parameters.removeAll { $0.name == name }
        if let value, !value.isEmpty { parameters.append((name, value)) }
    }

    /// This link with one more value of `name` (for repeated parameters).
    mutating func adding(_ name: String, _ value: String) {
        parameters.append((name, value))
    }

    /// The path and query string.
    var text: String {
        guard !parameters.isEmpty else { return path }
        return path + "?" + queryText
    }

    /// The query string alone, without `?`.
    var queryText: String {
        parameters.map { "\(Self.encoded($0.name))=\(Self.encoded($0.value))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` percent-encoded as one query name or value.
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
