import AccessReviews
import Foundation
import Hummingbird
import WardenCore

extension ReviewRoutes {
    /// How many of the caller's recent smart action batches the Review page lists.
    static let recentBatches = 10

    /// A certification's Review page: its rows as the results API lists them for the caller (a bad
    /// filter shows the API's message beside the box, with a 400), each with its small form when
    /// the caller may change it; the Smart Action menu; the caller's recent batches; and the notice
    /// of the action just done. `rowError` is a row's refused change, shown beside that row.
    func reviewPage(
        _ certificationID: String, query fields: FormFields, caller: APIKey, context: WebRequestContext,
        rowError: (resultID: Int64, message: String)? = nil
    ) async throws -> Response {
        let assignment = ReviewerAssignment(caller)
        let certification = try await CertificationStore(database: database).get(id: certificationID, for: assignment)
        let query = try ReviewQuery(fields)
        let path = Self.path(certificationID)
        var status: HTTPResponse.Status = rowError == nil ? .ok : .badRequest
        var filterError: String?
        var page = ListPage<ReviewResult>(values: [], nextPageToken: "", hasMore: false)
        do {
            page = try await results(certificationID, query.listParameters, for: assignment)
        } catch let error as APIError where error.code == .invalidArgument {
            filterError = try await boxFilterMessage(certificationID, query: query, for: assignment) ?? error.message
            status = .badRequest
        }

        let canUpdate = APIOperation.webUpdateReviewResult.permission.allows(caller.role)
        let currentLink = query.currentLink(path).text
        let rows = page.values.map { result in
            var values = result.tableValues
            values["link"] = "\(path)/results/\(result.resultID)"
            values["editable"] = canUpdate && result.signedOffState != .signedOff
            if let rowError, rowError.resultID == result.resultID { values["error"] = rowError.message }
            return values
        }
        let batches = try await SmartActionStore(database: database).batches(of: certificationID, for: assignment)
        let notice = ReviewNotice.values(fields, batches: batches)
        let latestUndo = notice?["undo_batch_id"] == nil ? batches.first(where: \.isUndoable)?.batchID : nil
        let recent = batches.prefix(Self.recentBatches).map { batch in
            batch.pageValues.merging(["latest_undo": batch.batchID == latestUndo]) { $1 }
        }
        var data: [String: Any] = [
            "certification": certification.progressValues(signedOff: nil).merging(["link": path]) { $1 },
            "workflow": try await ReviewWorkflowStore(database: database).find(id: certification.workflowID)?.name ?? certification.workflowID,
            "filter": query.filter, "order_by": query.orderBy, "page_size": query.pageSize, "quick": query.quickFilterValues,
            "columns": query.columns(path), "rows": rows, "has_rows": !rows.isEmpty, "can_update": canUpdate,
            "show_reviewers": caller.role != .reviewer,
            "form_action": path, "return_to": currentLink,
            "pager": query.pager.values(link: query.link(path), nextPageToken: page.nextPageToken, hasMore: page.hasMore),
            "batches": recent, "has_batches": !recent.isEmpty, "can_undo": APIOperation.webUndoSmartActionBatch.permission.allows(caller.role),
        ]
        if let filterError { data["filter_error"] = filterError }
        if let rowError { data["row_error"] = "Row \(rowError.resultID) was not changed: \(rowError.message)" }
        if let notice { data["notice"] = notice }
        if APIOperation.webSmartActionPreview.permission.allows(caller.role) {
            let definitions = try await SmartActionDefinitionStore(database: database).list(workflowID: certification.workflowID)
            data["smart_actions"] = ["definitions": definitions.map { definition in
                definition.pageValues.merging(["link": "\(path)/smart_actions/\(PageLink.encoded(definition.id))"]) { $1 }
            }, "any": !definitions.isEmpty] as [String: Any]
        }
        return renderer.page(
            "review", title: certification.name.isEmpty ? "Review" : certification.name, chrome: Chrome(context: context, current: "Reviews"),
            data, status: status)
    }

    /// A page of the certification's rows, from the same store call the results API makes.
    func results(_ certificationID: String, _ parameters: ListParameters, for assignment: ReviewerAssignment) async throws -> ListPage<ReviewResult> {
        let body = try await ResultStore(database: database).listBody(certificationID, parameters, signer: signer, for: assignment)
        return try WireJSON.decoder().decode(ListPage<ReviewResult>.self, from: Data(buffer: body))
    }

    /// When the box's filter and the quick filters together were refused: the API's message about
    /// the box's filter alone (nil when it alone is accepted), so its positions point into what was typed.
    private func boxFilterMessage(_ certificationID: String, query: ReviewQuery, for assignment: ReviewerAssignment) async throws -> String? {
        guard query.hasQuickFilters, !query.filter.allSatisfy(\.isWhitespace) else { return nil }
        do {
            _ = try await results(certificationID, ListParameters(filter: query.filter, pageSize: "1"), for: assignment)
            return nil
        } catch let error as APIError where error.code == .invalidArgument {
            return error.message
        }
    }
}
