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

    /// The cell as the template reads it. Every key is present (false when it does not apply), so
    /// that no lookup falls through to the row's or the page's values.
    var values: [String: Any] {
        switch self {
        case .text(let text): ["text": text, "time": false, "state": false]
        case .time(let time): ["text": time.map(Self.utc) ?? "", "time": time?.rfc3339 ?? false, "state": false]
        case .state(let state): ["text": state, "time": false, "state": state]
        }
    }

    /// `2023-09-21 12:41:27 UTC`: what a page shows before its script puts the time in the viewer's zone.
    static func utc(_ time: Timestamp) -> String {
        let text = time.rfc3339
        return "\(text.prefix(10)) \(text.dropFirst(11).prefix(8)) UTC"
    }
}
