/// A select beside the filter box that narrows a list to one value of an enumerated field, e.g. one
/// state. It adds `field eq "value"` to whatever the box holds.
struct QuickFilter: Sendable {
    /// The query parameter and the select's name.
    let parameter: String
    let label: String
    /// The catalog field it narrows.
    let field: String
    let options: [String]

    /// The filter clause for the value the request chose; nil when it chose none.
    func clause(_ query: [String: String]) throws -> String? {
        guard let value = query[parameter], !value.isEmpty else { return nil }
        guard options.contains(value) else {
            throw ActivityListError.quickFilter("\(label) must be one of \(options.joined(separator: ", ")); got \"\(value.prefix(40))\"")
        }
        return "\(field) eq \"\(value)\""
    }

    func values(_ query: [String: String]) -> [String: Any] {
        let chosen = query[parameter] ?? ""
        return [
            "parameter": parameter, "label": label,
            "options": [["value": "", "text": "Any", "selected": chosen.isEmpty]] + options.map { ["value": $0, "text": $0, "selected": $0 == chosen] },
        ]
    }
}

/// A list request the page shows its reader rather than failing on.
enum ActivityListError: Error {
    case quickFilter(String)
}
