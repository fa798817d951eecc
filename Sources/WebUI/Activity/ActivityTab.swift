import ActivityLog
import Hummingbird
import SCIMFilter
import WardenCore

/// One tab of the Activity Log page: a list of one activity record, with its columns, quick filters
/// and the link from each row to its detail page.
struct ActivityTab<Record: ActivityRecord>: Sendable {
    /// The tab's path segment, the list's resource (`action_events`).
    var slug: String { Record.resource }
    let title: String
    let columns: [ActivityColumn<Record>]
    let quickFilters: [QuickFilter]
    /// The detail page of a row.
    let link: @Sendable (Record) -> String

    /// The filter a request asks for: the box's text (checked alone, so its error is the API's
    /// message about what was typed) and the quick filters' clauses.
    func filter(_ query: [String: String]) throws -> String? {
        let typed = query["filter"] ?? ""
        _ = try ListRequest.parseFilter(typed, catalog: Record.listSpec.catalog)
        let blank = typed.allSatisfy { $0 == " " || $0 == "\t" }
        let clauses = (blank ? [] : ["(\(typed))"]) + (try quickFilters.compactMap { try $0.clause(query) })
        return clauses.isEmpty ? nil : clauses.joined(separator: " and ")
    }

    /// The page of the list `request` asks for, as the template's data; a bad filter, order or token
    /// shows its message (the API's) on the page with a 400.
    func page(_ request: Request, store: ActivityStore<Record>, signer: PageTokenSigner) async throws -> (data: [String: Any], status: HTTPResponse.Status) {
        let query = request.formQuery
        var data: [String: Any] = [
            "slug": slug, "filter": query["filter"] ?? "", "catalog": slug,
            "quick_filters": quickFilters.map { $0.values(query) },
            "export_query": Self.query(query, keeping: ["filter", "order_by"] + quickFilters.map(\.parameter)),
        ]
        let pageSize = Int(query["page_size"] ?? "") ?? Record.listSpec.defaultPageSize
        data["page_sizes"] = Set(Self.pageSizes + [pageSize]).sorted().map { ["size": $0, "selected": $0 == pageSize] }
        let order = query["order_by"].flatMap { $0.isEmpty ? nil : $0 } ?? Record.listSpec.defaultOrder
        data["columns"] = columns.map { column(for: $0, order: order, query: query) }
        do {
            let list = try ListRequest(
                Record.listSpec, ListParameters(filter: try filter(query), orderBy: order, pageSize: query["page_size"], pageToken: query["page_token"]),
                signer: signer)
            let page = try await store.list(list, signer: signer)
            data["rows"] = page.values.map { record in
                ["href": link(record), "cells": columns.map { $0.cell(record).values }] as [String: Any]
            }
            data["empty"] = page.values.isEmpty
            data["pager"] = pager(query, next: page.hasMore ? page.nextPageToken : nil)
            return (data, .ok)
        } catch let error as APIError where error.code == .invalidArgument {
            let field = error.fieldViolations.first?.field ?? ""
            data[field.hasPrefix("filter") ? "filter_error" : "list_error"] = error.message
            return (data, .badRequest)
        } catch ActivityListError.quickFilter(let message) {
            data["list_error"] = message
            return (data, .badRequest)
        }
    }

    /// The choices of the page's Rows per page.
    static var pageSizes: [Int] { [25, 50, 100, 250, 1000] }

    /// A column heading: a link that sorts by the column, descending first, then the other way.
    private func column(for column: ActivityColumn<Record>, order: String, query: [String: String]) -> [String: Any] {
        var values: [String: Any] = ["title": column.title]
        guard let field = column.sortField else { return values }
        let first = order.split(separator: ",").first.map { $0.split(separator: " ").map(String.init) } ?? []
        let sorted = first.first == field
        let descending = sorted && first.count > 1 && first[1].lowercased() == "desc"
        if sorted {
            values["sort"] = descending ? "descending" : "ascending"
            values["arrow"] = descending ? "▼" : "▲"
        }
        var next = query
        next["order_by"] = "\(field) \(sorted && descending ? "asc" : "desc")"
        values["href"] = "?" + Self.query(next, keeping: ["filter", "order_by", "page_size"] + quickFilters.map(\.parameter))
        return values
    }

    /// Next and previous links. Keyset pages only go forward, so the tokens of the pages before this
    /// one ride along in `back` (`-` for the first page).
    private func pager(_ query: [String: String], next: String?) -> [String: Any] {
        let kept = ["filter", "order_by", "page_size"] + quickFilters.map(\.parameter)
        let back = (query["back"] ?? "").split(separator: ",").map(String.init)
        let current = query["page_token"].flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        var values: [String: Any] = ["page": back.count + 1]
        if let next {
            var forward = query
            forward["page_token"] = next
            forward["back"] = (back + [current]).joined(separator: ",")
            values["next"] = "?" + Self.query(forward, keeping: kept + ["page_token", "back"])
        }
        if let previous = back.last {
            var backward = query
            backward["page_token"] = previous == "-" ? nil : previous
            backward["back"] = back.dropLast().joined(separator: ",")
            values["previous"] = "?" + Self.query(backward, keeping: kept + ["page_token", "back"])
        }
        return values
    }

    /// `query`'s non-empty `names`, encoded as a query string.
    static func query(_ query: [String: String], keeping names: [String]) -> String {
        names.compactMap { name in
            guard let value = query[name], !value.isEmpty else { return nil }
            return "\(name)=\(FormFields.encode(value))"
        }.joined(separator: "&")
    }
}
