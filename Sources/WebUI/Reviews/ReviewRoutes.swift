import AccessReviews
import Foundation
import Hummingbird
import WardenCore

/// The Reviews pages: the certifications with their progress, a certification's Review page (its
/// rows, filtered, sorted and paged as the API lists them), one row with its action log, and the
/// row's small form, which changes the row as the API's `PUT results` does.
struct ReviewRoutes: Sendable {
    let database: Database
    let signer: PageTokenSigner
    let renderer: PageRenderer

    /// The Review page's path.
    static func path(_ certificationID: String) -> String {
        "/ui/reviews/\(PageLink.encoded(certificationID))"
    }

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("reviews") { request, context in
            let caller = try context.require(.webCertifications)
            return try await certificationsPage(FormFields(request.uri.query ?? ""), caller: caller, context: context)
        }
        ui.get("reviews/{id}") { request, context in
            let caller = try context.require(.webReview)
            return try await reviewPage(
                try context.pathParameter("id"), query: FormFields(request.uri.query ?? ""), caller: caller, context: context)
        }
        ui.get("reviews/{id}/results/{result_id}") { _, context in
            let caller = try context.require(.webReviewResult)
            let certificationID = try context.pathParameter("id")
            let resultID = try Self.resultID(context)
            let body = try await ResultStore(database: database).getBody(certificationID, resultID: resultID, for: ReviewerAssignment(caller))
            let result = try WireJSON.decoder().decode(ValueEnvelope<ReviewResult>.self, from: Data(buffer: body)).value
            let certification = try await CertificationStore(database: database).get(id: certificationID, for: ReviewerAssignment(caller))
            return renderer.page("review_result", title: "Row \(resultID) · \(certification.name)", chrome: Chrome(context: context, current: "Reviews"), [
                "certification": ["id": certificationID, "name": certification.name, "link": Self.path(certificationID)],
                "result": result.detailValues,
                "editable": APIOperation.webUpdateReviewResult.permission.allows(caller.role) && result.signedOffState != .signedOff,
                "form_action": "\(Self.path(certificationID))/results/\(resultID)",
                "return_to": "\(Self.path(certificationID))/results/\(resultID)",
            ])
        }
        ui.post("reviews/{id}/results/{result_id}") { request, context in
            let caller = try context.require(.webUpdateReviewResult)
            let certificationID = try context.pathParameter("id")
            let resultID = try Self.resultID(context)
            let fields = try await request.formFields(context: context)
            let returnTo = Self.returnLink(fields["return_to"], certificationID: certificationID)
            do {
                let change = try ResultForm.update(fields, resultID: resultID)
                try await ResultStore(database: database).update(certificationID, change, by: caller, force: false)
            } catch let error as APIError where error.code.httpStatus == 400 {
                guard returnTo.path == Self.path(certificationID) else { throw error }
                return try await reviewPage(
                    certificationID, query: FormFields(returnTo.queryText), caller: caller, context: context,
                    rowError: (resultID, error.message))
            }
            var link = returnTo
            link.setting("saved", String(resultID))
            return Response.redirect(to: link.text + "#result-\(resultID)", type: .normal)
        }
    }

    /// The `result_id` path parameter; 400 unless a whole number ≥ 0, as the API answers.
    static func resultID(_ context: WebRequestContext) throws -> Int64 {
        let text = try context.pathParameter("result_id")
        guard let resultID = Int64(text), resultID >= 0 else {
            throw APIError.invalidArgument("result_id", "result_id must be a whole number ≥ 0, got \"\(text.prefix(40))\"")
        }
        return resultID
    }

    /// Where a row's form goes back to: the page it was sent from (the Review page with its filters,
    /// or the row's page), without the notices of earlier actions; the Review page when it names another.
    static func returnLink(_ requested: String?, certificationID: String) -> PageLink {
        let review = path(certificationID)
        let requested = requested ?? review
        let parts = requested.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts[0] == review || parts[0].hasPrefix(review + "/results/"), !parts[0].contains("//") else { return PageLink(review) }
        var link = PageLink(parts[0])
        for pair in FormFields(parts.count > 1 ? parts[1] : "").pairs where !ReviewNotice.parameters.contains(pair.name) {
            link.adding(pair.name, pair.value)
        }
        return link
    }

    /// The certifications, with each one's progress counted over the rows the caller sees.
    private func certificationsPage(_ query: FormFields, caller: APIKey, context: WebRequestContext) async throws -> Response {
        let assignment = ReviewerAssignment(caller)
        let list = try ListRequest(
            Certification.listSpec, ListParameters(pageSize: query["page_size"], pageToken: query["page_token"]), signer: signer)
        let page = try await CertificationStore(database: database).list(list, workflowID: nil, signer: signer, for: assignment)
        let signedOff = try await CertificationStore(database: database).signedOffCounts(
            of: page.values.map(\.certificationID), for: assignment)
        var workflowNames: [String: String] = [:]
        for id in Set(page.values.map(\.workflowID)) {
            workflowNames[id] = try await ReviewWorkflowStore(database: database).find(id: id)?.name ?? id
        }
        let rows = page.values.map { certification in
            var values = certification.progressValues(signedOff: signedOff[certification.certificationID] ?? 0)
            values["link"] = Self.path(certification.certificationID)
            values["workflow"] = workflowNames[certification.workflowID] ?? certification.workflowID
            return values
        }
        var data: [String: Any] = ["certifications": rows, "has_certifications": !rows.isEmpty, "is_reviewer": caller.role == .reviewer]
        data["pager"] = Pager(query).values(
            link: PageLink("/ui/reviews", [("page_size", query["page_size"])]), nextPageToken: page.nextPageToken, hasMore: page.hasMore)
        return renderer.page("reviews", title: "Reviews", chrome: Chrome(context: context, current: "Reviews"), data)
    }
}
