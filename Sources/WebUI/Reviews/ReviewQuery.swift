import AccessReviews
import WardenCore

/// What the Review page shows, as its query string says: the filter typed in the box, the quick
/// filters (`decision`, `signed_off`), the order, and the page.
struct ReviewQuery {
    /// The filter box's text: the API's SCIM filter over the results catalog.
    var filter: String
    /// Quick filter: only rows with this decision (its short name, `ACCEPTED`).
    var decision: ResultDecision?
    /// Quick filter: only signed-off rows (true) or only rows not signed off (false).
    var signedOff: Bool?
    var orderBy: String
    var pageSize: String
    var pager: Pager

    /// The sortable columns: their field and heading.
    static let sortable = [("result_id", "Row"), ("source.name", "Identity"), ("destination.name", "Resource")]

    init(_ query: FormFields) throws(APIError) {
        filter = query["filter"] ?? ""
        let decision = query["decision"] ?? ""
        if decision.isEmpty {
            self.decision = nil
        } else if let value = ResultDecision(wireName: decision), ResultDecision.choices.contains(value) {
            self.decision = value
        } else {
            throw .invalidArgument("decision", "decision \"\(decision.prefix(40))\" is not one of NONE, ACCEPTED, REJECTED, FIXED")
        }
        switch query["signed_off"] ?? "" {
        case "": signedOff = nil
        case "yes": signedOff = true
        case "no": signedOff = false
        case let other: throw .invalidArgument("signed_off", "signed_off \"\(other.prefix(40))\" is not yes or no")
        }
        orderBy = query["order_by"] ?? ""
        pageSize = query["page_size"] ?? ""
        pager = Pager(query)
    }

    /// The quick filters as SCIM conditions.
    private var quickConditions: [String] {
        var conditions: [String] = []
        if let decision { conditions.append("decision eq \"\(decision.rawValue)\"") }
        if let signedOff { conditions.append("signed_off_state \(signedOff ? "eq" : "ne") \"SIGNED_OFF\"") }
        return conditions
    }

    /// Whether quick filters narrow the box's filter.
    var hasQuickFilters: Bool { !quickConditions.isEmpty }

    /// The list parameters the results API is called with: the box's filter as typed, or with quick
    /// filters, the box's filter (in parentheses) and theirs joined by `and`.
    var listParameters: ListParameters {
        let box = filter.allSatisfy(\.isWhitespace) ? [] : [quickConditions.isEmpty ? filter : "(\(filter))"]
        let combined = (box + quickConditions).joined(separator: " and ")
        return ListParameters(
            filter: combined.isEmpty ? nil : combined, orderBy: orderBy.isEmpty ? nil : orderBy, pageSize: pageSize.isEmpty ? nil : pageSize,
            pageToken: pager.pageToken.isEmpty ? nil : pager.pageToken)
    }

    /// The page's link on its first page: filters and order, no paging.
    func link(_ path: String) -> PageLink {
        PageLink(path, [
            ("filter", filter), ("decision", decision?.shortName), ("signed_off", signedOff.map { $0 ? "yes" : "no" }),
            ("order_by", orderBy), ("page_size", pageSize),
        ])
    }

    /// The link of the page shown, paging included.
    func currentLink(_ path: String) -> PageLink {
        var link = link(path)
        link.setting("page_token", pager.pageToken)
        for token in pager.back { link.adding("back", token) }
        return link
    }

    /// The column headings, each a link that sorts by it (ascending first, then the other way).
    func columns(_ path: String) -> [[String: Any]] {
        let current = orderBy.split(separator: " ").map(String.init)
        return Self.sortable.map { field, heading in
            let sortedHere = current.first == field
            let descending = sortedHere && current.count > 1 && current[1].lowercased() == "desc"
            var link = link(path)
            link.setting("order_by", sortedHere && !descending ? "\(field) desc" : "\(field) asc")
            var values: [String: Any] = ["field": field, "heading": heading, "link": link.text]
            if sortedHere || (orderBy.isEmpty && field == "result_id") {
                values["sort"] = descending ? "descending" : "ascending"
            }
            return values
        }
    }

    /// The quick filters' choices, for the form's selects.
    var quickFilterValues: [String: Any] {
        [
            "decisions": [["value": "", "label": "Any decision", "selected": decision == nil] as [String: Any]]
                + ResultDecision.choices.map { ["value": $0.shortName, "label": $0.label, "selected": $0 == decision] },
            "signed_off": [
                ["value": "", "label": "Signed off or not", "selected": signedOff == nil] as [String: Any],
                ["value": "yes", "label": "Signed off", "selected": signedOff == true],
                ["value": "no", "label": "Not signed off", "selected": signedOff == false],
            ],
        ]
    }
}
