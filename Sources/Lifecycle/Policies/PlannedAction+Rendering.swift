import Foundation
import SCIMFilter

extension PlannedAction {
    /// The settings rendered for the identity and the earlier outputs in `context`; a pause's
    /// duration counts from `now`. Throws naming a missing attribute or output, an empty address, or
    /// an `until` that is not an RFC 3339 time.
    public func render(_ context: TemplateContext, now: Timestamp) throws(TemplateError) -> RenderedAction {
        switch settings {
        case .http(let http):
            var headers: [(String, String)] = []
            headers.reserveCapacity(http.headers.count)
            for header in http.headers {
                headers.append((header.name, try header.value.render(context)))
            }
            return .http(
                connector: http.connector, method: http.method, path: try http.path.render(context), headers: headers,
                body: try http.body?.render(context), successStatuses: http.successStatuses)
        case .mail(let mail):
            return .mail(
                connector: mail.connector, to: try Self.addresses(mail.to, "to", context), cc: try Self.addresses(mail.cc, "cc", context),
                subject: try mail.subject.render(context), body: try mail.body.render(context))
        case .webhook(let webhook):
            return .webhook(connector: webhook.connector, body: try webhook.body.render(context))
        case .pause(.duration(let duration)):
            return .pause(until: now.adding(duration))
        case .pause(.until(let template)):
            let text = try template.render(context)
            guard let until = Timestamp(rfc3339: text.trimmingCharacters(in: .whitespaces)) else {
                throw TemplateError("until rendered \"\(text)\", which is not an RFC 3339 time such as 2026-01-02T09:00:00Z")
            }
            return .pause(until: until)
        case .scim(let scim):
            let operation: SCIMOperation = switch scim.operation {
            case .sync: .sync
            case .deprovision: .deprovision
            case .delete: .delete
            case .manageRelationships(let grant, let revoke, let revokeGroups):
                .manageRelationships(grant: grant, revoke: revoke, revokeGroups: try revokeGroups.map { template throws(TemplateError) in try template.render(context) })
            case .createEntitlement(let displayName): .createEntitlement(displayName: try displayName.render(context))
            case .createEmail(let template): .createEmail(rendered: try template.render(context))
            case .resetPassword(let length): .resetPassword(length: length)
            }
            return .scim(connector: scim.connector, operation: operation)
        case .accessReview(let review):
            let reviewer = try review.reviewer.map { template throws(TemplateError) in try template.render(context).trimmingCharacters(in: .whitespaces) }
            if reviewer == "" { throw TemplateError("reviewer (\(review.reviewer?.source ?? "")) rendered an empty address") }
            let name = try review.name.map { template throws(TemplateError) in try template.render(context) }
            return .accessReview(connector: review.connector, reviewWorkflow: review.reviewWorkflow, reviewer: reviewer, name: name)
        case .writeBack(let writeBack):
            let value = try writeBack.email.render(context).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw TemplateError("email (\(writeBack.email.source)) rendered an empty address") }
            return .writeBack(attribute: writeBack.attribute, value: value)
        }
    }

    private static func addresses(_ templates: [Template], _ field: String, _ context: TemplateContext) throws(TemplateError) -> [String] {
        var addresses: [String] = []
        for (offset, template) in templates.enumerated() {
            let address = try template.render(context).trimmingCharacters(in: .whitespaces)
            guard !address.isEmpty else { throw TemplateError("\(field)[\(offset)] (\(template.source)) rendered an empty address") }
            addresses.append(address)
        }
        return addresses
    }
}
