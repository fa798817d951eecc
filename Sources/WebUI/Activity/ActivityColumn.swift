import SCIMFilter

/// One column of an Activity Log table: its heading, the catalog field it sorts by, and its cell.
struct ActivityColumn<Record>: Sendable {
    let title: String
    /// The catalog field the column sorts by; nil when it does not sort.
    let sortField: String?
    let cell: @Sendable (Record) -> TableCell

    init(_ title: String, sort sortField: String? = nil, _ cell: @escaping @Sendable (Record) -> TableCell) {
        self.title = title
        self.sortField = sortField
        self.cell = cell
    }
}

/// What one table cell shows.
enum TableCell: Sendable {
    case text(String)
    /// A time, written in UTC and shown in the viewer's zone.
    case time(Timestamp?)
    /// A task or action state, styled by its value.
    case state(String)
    case link(String, href: String)

    var values: [String: Any] {
        switch self {
        case .text(let text): ["text": text]
        case .time(let time): time.map { ["time": $0.rfc3339, "text": Self.utc($0)] } ?? ["text": ""]
        case .state(let state): ["state": state, "text": state]
        case .link(let text, let href): ["text": text, "href": href]
        }
    }

    /// `2023-09-21 12:41:27 UTC`: what a page shows before its script puts the time in the viewer's zone.
    static func utc(_ time: Timestamp) -> String {
        let text = time.rfc3339
        return "\(text.prefix(10)) \(text.dropFirst(11).prefix(8)) UTC"
    }
}
