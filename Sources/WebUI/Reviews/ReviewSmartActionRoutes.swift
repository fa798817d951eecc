import AccessReviews
import Hummingbird
import WardenCore

/// Smart actions from the Review page: a definition's dry-run preview with its Apply button, the
/// apply itself, and undoing a batch, through the store calls the API's `results:apply_smart_action`
/// and `smart_action_batches/{batch_id}:undo` make (a reviewer acts only on their own rows and batches).
struct ReviewSmartActionRoutes: Sendable {
    let database: Database
    let renderer: PageRenderer

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("reviews/{id}/smart_actions/{definition_id}") { _, context in
            let caller = try context.require(.webSmartActionPreview)
            let certificationID = try context.pathParameter("id")
            let definitionID = try context.pathParameter("definition_id")
            let preview = try await SmartActionStore(database: database).apply(
                SmartActionRequest(definitionID: definitionID, dryRun: true), to: certificationID, by: caller)
            let definition = try await SmartActionDefinitionStore(database: database).get(id: definitionID)
            let certification = try await CertificationStore(database: database).get(id: certificationID, for: ReviewerAssignment(caller))
            let review = ReviewRoutes.path(certificationID)
            return renderer.page(
                "smart_action_preview", title: "Preview: \(definition.name)", chrome: Chrome(context: context, current: "Reviews"), [
                    "certification": ["name": certification.name, "link": review],
                    "definition": definition.pageValues,
                    "matched": String(preview.matched), "changed": String(preview.changed), "skipped": String(preview.skippedSignedOff),
                    "unchanged": String(preview.unchanged),
                    "samples": preview.samples.map { sample in
                        [
                            "result_id": String(sample.resultID), "link": "\(review)/results/\(sample.resultID)",
                            "before": sample.before.pageValues, "after": sample.after.pageValues,
                        ] as [String: Any]
                    },
                    "has_samples": !preview.samples.isEmpty, "sample_count": String(preview.samples.count), "more_samples": preview.changed > Int64(preview.samples.count),
                    "can_apply": preview.changed > 0,
                    "form_action": "\(review)/smart_actions/\(PageLink.encoded(definitionID))",
                ])
        }
        ui.post("reviews/{id}/smart_actions/{definition_id}") { _, context in
            let caller = try context.require(.webApplySmartAction)
            let certificationID = try context.pathParameter("id")
            let outcome = try await SmartActionStore(database: database).apply(
                SmartActionRequest(definitionID: try context.pathParameter("definition_id")), to: certificationID, by: caller)
            return Response.redirect(to: PageLink(ReviewRoutes.path(certificationID), [("batch", outcome.batchID)]).text, type: .normal)
        }
        ui.post("reviews/{id}/batches/{batch_id}/undo") { _, context in
            let caller = try context.require(.webUndoSmartActionBatch)
            let certificationID = try context.pathParameter("id")
            let undo = try await SmartActionStore(database: database).undo(
                batchID: try context.pathParameter("batch_id"), in: certificationID, by: caller)
            return Response.redirect(to: PageLink(ReviewRoutes.path(certificationID), [("undone", undo.batchID)]).text, type: .normal)
        }
    }
}

extension SmartActionOutcome.State {
    /// The fields a smart action sets, as a preview's before or after column shows them.
    var pageValues: [String: Any] {
        ["decision": decision.label, "notes": notes, "signed_off": signedOffState == .signedOff]
    }
}
