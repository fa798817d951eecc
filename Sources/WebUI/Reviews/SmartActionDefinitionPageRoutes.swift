import AccessReviews
import Hummingbird
import WardenCore

/// The Smart Actions pages: the definitions with a create form, a definition's edit form, and
/// delete, through the store calls the API's `smart_action_definitions` routes make. A refused
/// definition is shown again with the API's field violations beside its fields.
struct SmartActionDefinitionPageRoutes: Sendable {
    let database: Database
    let signer: PageTokenSigner
    let renderer: PageRenderer

    static let path = "/ui/smart_actions"

    static func path(_ id: String) -> String {
        "\(path)/\(PageLink.encoded(id))"
    }

    func add(to ui: some RouterMethods<WebRequestContext>) {
        ui.get("smart_actions") { request, context in
            let caller = try context.require(.webSmartActionDefinitions)
            let query = request.formQuery
            let notice: String? =
                if let id = query["created"] { try await noticeName(id).map { "Smart action “\($0)” created." } }
                else if let id = query["updated"] { try await noticeName(id).map { "Smart action “\($0)” saved." } }
                else if query["deleted"] != nil { "Smart action deleted." }
                else { nil }
            return try await listPage(caller: caller, context: context, form: SmartActionDefinitionForm(), notice: notice)
        }
        ui.post("smart_actions") { request, context in
            let caller = try context.require(.webCreateSmartActionDefinition)
            let form = SmartActionDefinitionForm(try await request.formFields(context: context))
            do {
                let id = try await SmartActionDefinitionStore(database: database).create(try form.input(), by: caller.name)
                return Response.redirect(to: PageLink(Self.path, [("created", id)]).text, type: .normal)
            } catch let error as APIError where error.code == .invalidArgument {
                return try await listPage(caller: caller, context: context, form: form, error: error)
            }
        }
        ui.get("smart_actions/{id}") { _, context in
            let caller = try context.require(.webSmartActionDefinition)
            let definition = try await SmartActionDefinitionStore(database: database).get(id: try context.pathParameter("id"))
            return try await editPage(definition, form: SmartActionDefinitionForm(definition), caller: caller, context: context)
        }
        ui.post("smart_actions/{id}") { request, context in
            let caller = try context.require(.webUpdateSmartActionDefinition)
            let id = try context.pathParameter("id")
            let store = SmartActionDefinitionStore(database: database)
            let form = SmartActionDefinitionForm(try await request.formFields(context: context))
            do {
                try await store.update(id: id, with: try form.input(), by: caller.name)
                return Response.redirect(to: PageLink(Self.path, [("updated", id)]).text, type: .normal)
            } catch let error as APIError where error.code == .invalidArgument {
                return try await editPage(try await store.get(id: id), form: form, caller: caller, context: context, error: error)
            }
        }
        ui.post("smart_actions/{id}/delete") { _, context in
            try context.require(.webDeleteSmartActionDefinition)
            try await SmartActionDefinitionStore(database: database).delete(id: try context.pathParameter("id"))
            return Response.redirect(to: PageLink(Self.path, [("deleted", "1")]).text, type: .normal)
        }
    }

    /// The name of the definition a notice is about; nil when it is gone.
    private func noticeName(_ id: String) async throws -> String? {
        do {
            return try await SmartActionDefinitionStore(database: database).get(id: id).name
        } catch let error as APIError where error.code == .notFound {
            return nil
        }
    }

    /// Every definition, and the create form (for those who may create) with `form`'s values and `error`'s violations.
    private func listPage(
        caller: APIKey, context: WebRequestContext, form: SmartActionDefinitionForm, notice: String? = nil, error: APIError? = nil
    ) async throws -> Response {
        let workflows = try await allWorkflows()
        let names = Dictionary(workflows.map { ($0.workflowID, $0.name) }) { first, _ in first }
        let definitions = try await SmartActionDefinitionStore(database: database).list(workflowID: nil).map { definition in
            var values = definition.pageValues
            values["link"] = Self.path(definition.id)
            values["workflow"] = definition.workflowID.isEmpty ? "Every workflow" : names[definition.workflowID] ?? definition.workflowID
            return values
        }
        var data: [String: Any] = ["definitions": definitions, "has_definitions": !definitions.isEmpty]
        if APIOperation.webCreateSmartActionDefinition.permission.allows(caller.role) {
            data["form"] = form.values(workflows: workflows, error: error).merging(["action": Self.path, "submit": "Create smart action"]) { $1 }
        }
        return renderer.page(
            "smart_actions", title: "Smart Actions", chrome: Chrome(context: context, current: "Smart Actions", notice: notice), data,
            status: error == nil ? .ok : .badRequest)
    }

    /// A definition's page: its edit form (for those who may update) or its settings, and delete.
    private func editPage(
        _ definition: SmartActionDefinition, form: SmartActionDefinitionForm, caller: APIKey, context: WebRequestContext, error: APIError? = nil
    ) async throws -> Response {
        var data: [String: Any] = [
            "definition": definition.pageValues, "delete_action": "\(Self.path(definition.id))/delete",
            "can_delete": APIOperation.webDeleteSmartActionDefinition.permission.allows(caller.role),
        ]
        if APIOperation.webUpdateSmartActionDefinition.permission.allows(caller.role) {
            data["form"] = form.values(workflows: try await allWorkflows(), error: error)
                .merging(["action": Self.path(definition.id), "submit": "Save changes"]) { $1 }
        }
        return renderer.page(
            "smart_action", title: definition.name.isEmpty ? "Smart action" : definition.name,
            chrome: Chrome(context: context, current: "Smart Actions"), data, status: error == nil ? .ok : .badRequest)
    }

    /// The review workflows a definition can belong to.
    private func allWorkflows() async throws -> [ReviewWorkflow] {
        var workflows: [ReviewWorkflow] = []
        var token: String?
        repeat {
            let list = try ListRequest(ReviewWorkflow.listSpec, ListParameters(pageSize: "1000", pageToken: token), signer: signer)
            let page = try await ReviewWorkflowStore(database: database).list(list, signer: signer)
            workflows += page.values
            token = page.hasMore ? page.nextPageToken : nil
        } while token != nil
        return workflows
    }
}
