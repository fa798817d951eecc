import Foundation

/// The name–value pairs of an `application/x-www-form-urlencoded` text: a query string or a form
/// post. `+` is a space, `%2B` a plus.
public struct FormFields: Sendable {
    /// Every pair, in the order sent.
    public let pairs: [(name: String, value: String)]

    public init(_ text: some StringProtocol) {
        pairs = text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The first value sent for `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value sent for `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The first value of each name.
    public var firstValues: [String: String] {
        var values: [String: String] = [:]
        for pair in pairs where values[pair.name] == nil {
            values[pair.name] = pair.value
        }
        return values
    }

    private static func decode(_ text: some StringProtocol) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension FormFields {
    /// `pairs` as an `application/x-www-form-urlencoded` body.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// `text` form-encoded: every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) percent-encoded.
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
