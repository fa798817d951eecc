import WardenCore

/// Next and previous links over a keyset-paged list. Page tokens only go forward, so each link
/// carries the tokens of the pages before it (`back`, repeated), and Previous goes to the last of them.
struct Pager {
    /// The token of the page shown; empty on the first page.
    let pageToken: String
    /// The tokens of the pages before this one, oldest first ("" is the first page).
    let back: [String]

    init(_ query: FormFields) {
        pageToken = query["page_token"] ?? ""
        back = query.values("back")
    }

    /// The page links for a page whose list answered `nextPageToken` and `hasMore`; `link` is the
    /// current page's link without paging parameters. Keys: `previous`, `next` (each absent when
    /// there is no such page).
    func values(link: PageLink, nextPageToken: String, hasMore: Bool) -> [String: Any] {
        var values: [String: Any] = [:]
        if let previousToken = back.last {
            var previous = link
            previous.setting("page_token", previousToken)
            for token in back.dropLast() { previous.adding("back", token) }
            values["previous"] = previous.text
        }
        if hasMore, !nextPageToken.isEmpty {
            var next = link
            next.setting("page_token", nextPageToken)
            for token in back + [pageToken] { next.adding("back", token) }
            values["next"] = next.text
        }
        values["any"] = !values.isEmpty
        return values
    }
}
